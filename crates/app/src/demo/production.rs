//! The demo's card production: the production desk's login, a card vendor in good standing
//! with its staff's login, its product with the gate passed in Hangzhou (the three approvals,
//! a test card through its three audits), Hangzhou's master keys and pick-up points (the
//! default service centre, ICBC's Xihu branch), and one more application waiting for a
//! production batch.

use shebao_domain::access::Role;
use shebao_domain::production::{KeyPurpose, UNIVERSALITY_CHECKS};

use super::{Binding, Seeder};
use crate::card::CardApplication;
use crate::person::NewPerson;
use crate::production::{
    NewCardProduct, NewCardVendor, NewCredential, NewGateApproval, NewMasterKey, NewPickupPoint,
    NewTestCard, NewTestCardAudit, UniversalityCheck,
};
use crate::{Actor, App, AppError};

impl App {
    pub(super) fn seed_production(
        &self,
        s: &mut Seeder<'_>,
        clerk: &Actor,
    ) -> Result<(), AppError> {
        let desk = s.login(
            "production",
            Role::ProductionOfficer,
            (None, None, None),
            "card production desk: vendors, products, the gate, master keys",
        )?;
        // Hangzhou's day, not the UTC one: a gate's days are the region's (after 16:00 UTC
        // it is already tomorrow there).
        let day = self.today_of(&shebao_domain::ids::RegionCode::new("330100"))?;
        let (today, year_ago) = (day.to_string(), day.add_days(-365).to_string());
        let key = s.key();
        let vendor = self.register_card_vendor(
            &desk,
            &key,
            NewCardVendor {
                credit_code: "91110000802100433B".into(),
                name: "中钞信用卡产业发展有限公司 China Banknote Card Co.".into(),
                region: "330100".into(),
                contact: "王经理 0571-88880000".into(),
            },
        )?;
        // Every credential valid; the PSAM filing lapses in 60 days, so the desk is warned.
        for (kind, until) in [
            ("card_production", day.add_days(1_000)),
            ("bank_card", day.add_days(1_000)),
            ("commercial_cryptography", day.add_days(1_000)),
            ("secure_environment", day.add_days(700)),
            ("psam_filing", day.add_days(60)),
        ] {
            let key = s.key();
            self.record_vendor_credential(
                &desk,
                &key,
                &vendor.id,
                NewCredential {
                    kind: kind.into(),
                    number: format!("{}-2025-0017", kind.replace('_', "-").to_uppercase()),
                    issued_on: year_ago.clone(),
                    valid_until: until.to_string(),
                },
            )?;
        }
        s.login_bound(
            "vendor",
            Role::CardVendor,
            Binding::Vendor(&vendor.id),
            "card vendor: standing, products, test cards",
        )?;
        let key = s.key();
        let product = self.register_card_product(
            &desk,
            &key,
            &vendor.id,
            NewCardProduct {
                name: "第三代社会保障卡 SSC-3".into(),
                generation: "3.00".into(),
                chip: "THD89".into(),
                operating_system: "COS 3.1".into(),
                face_design: "浙江 2026 Zhejiang".into(),
                face_version: "1.0".into(),
                file_structure_version: "3.0".into(),
            },
        )?;
        for step in [
            "registration_approval",
            "key_application",
            "psam_application",
        ] {
            let key = s.key();
            self.record_gate_approval(
                &desk,
                &key,
                &product.id,
                NewGateApproval {
                    region: "330100".into(),
                    step: step.into(),
                    reference: format!("人社部函〔2026〕{}号", step.len()),
                    approved_on: today.clone(),
                },
            )?;
        }
        let staff = self.actor_for_username("vendor")?;
        let key = s.key();
        let gate = self.submit_test_card(
            &staff,
            &key,
            &product.id,
            NewTestCard {
                region: "330100".into(),
                serial: "T-330100-0001".into(),
                made_on: today.clone(),
            },
        )?;
        let card = gate
            .test_cards
            .first()
            .map(|c| c.id.clone())
            .unwrap_or_default();
        for audit in ["standard_compliance", "safety", "universality"] {
            let checks = if audit == "universality" {
                UNIVERSALITY_CHECKS
                    .iter()
                    .map(|check| UniversalityCheck {
                        check: (*check).into(),
                        passed: true,
                    })
                    .collect()
            } else {
                Vec::new()
            };
            let key = s.key();
            self.record_test_card_audit(
                &desk,
                &key,
                &card,
                NewTestCardAudit {
                    audit: audit.into(),
                    passed: true,
                    checks,
                    note: None,
                    audited_on: today.clone(),
                },
            )?;
        }
        // An application waiting for the next batch (besides any demo holder's).
        let key = s.key();
        let person = self.register_person(
            clerk,
            &key,
            NewPerson {
                citizen_id: "33010619800101003X".into(),
                name: "周杰".into(),
                nationality: "CHN".into(),
                household_region: "330106".into(),
                household_kind: "urban".into(),
                phone: None,
            },
        )?;
        let key = s.key();
        self.apply_card(
            clerk,
            &key,
            CardApplication {
                person_id: person.id,
                bank_id: "icbc".into(),
                region: "330100".into(),
            },
        )?;
        // Hangzhou's pick-up points: the bureau's service centre (where cards go unless their
        // holders choose) and ICBC's Xihu branch, whose tellers hand over ICBC's cards.
        for (kind, branch, name, address, default) in [
            (
                "service_centre",
                None,
                "西湖区社保服务中心 Xihu Social Security Centre",
                "杭州市西湖区文三路 90 号",
                true,
            ),
            (
                "bank_branch",
                Some("icbc-hz-xihu"),
                "工行杭州西湖支行 ICBC Hangzhou Xihu",
                "杭州市西湖区曙光路 15 号",
                false,
            ),
        ] {
            let key = s.key();
            self.register_pickup_point(
                &desk,
                &key,
                NewPickupPoint {
                    region: "330100".into(),
                    kind: kind.into(),
                    branch: branch.map(Into::into),
                    name: name.into(),
                    address: address.into(),
                    opening_hours: "周一至周五 9:00-17:00 Mon-Fri".into(),
                    capacity: 2_000,
                    default,
                },
            )?;
        }
        for purpose in KeyPurpose::ALL {
            let key = s.key();
            self.create_card_master_key(
                &desk,
                &key,
                NewMasterKey {
                    region: "330100".into(),
                    purpose: purpose.as_str().into(),
                },
            )?;
        }
        // The region's e-card signing key (issue 19): holders' electronic cards show codes.
        let key = s.key();
        self.create_ecard_key(
            &desk,
            &key,
            crate::card::ecard_keys::NewECardKey {
                region: "330100".into(),
                withdraw_current: false,
            },
        )?;
        Ok(())
    }
}
