//! The demo data set: regions, banks, branches, staff logins and persons with cards in every
//! interesting state, made through the ordinary use cases (so it is audited like real work).
//! Passwords are generated and returned once; nothing here is a default credential.

use serde::Serialize;
use shebao_domain::access::Role;
use shebao_domain::ids::UserId;
use shebao_domain::reference::region::RegionParameters;
use shebao_domain::time::Date;

use crate::access::auth::{NewUser, generate_password};
use crate::money::CreditRequest;
use crate::reference::{NewBank, NewBranch, NewParameters, NewRegion};
use crate::views::{ParametersBody, UserView};
use crate::{Actor, App, AppError};

mod holders;
mod production;

/// A login made for the demo, with its one-time password.
#[derive(Debug, Clone, Serialize)]
pub struct DemoLogin {
    pub username: String,
    pub password: String,
    pub role: String,
    pub note: String,
}

/// A demo cardholder, for trying the API (ID numbers are test vectors, not real people).
#[derive(Debug, Clone, Serialize)]
pub struct DemoHolder {
    pub person_id: String,
    pub card_id: String,
    pub citizen_id: String,
    pub state: String,
    /// The PINs the demo chose, so the API can be tried; demo only.
    pub social_pin: String,
    pub financial_pin: Option<String>,
    /// What a hospital's counter reads from the card: the printed number and the chip's
    /// identification code.
    pub card_number: String,
    pub identification_code: String,
    /// The financial side's bank card number (none on a temporary card).
    pub bank_card_number: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DemoData {
    pub logins: Vec<DemoLogin>,
    pub holders: Vec<DemoHolder>,
}

fn actor_of(view: &UserView) -> Actor {
    Actor {
        user_id: UserId::new(&view.id),
        username: view.username.clone(),
        role: Role::parse(&view.role).unwrap_or(Role::Cardholder),
        scope: view.scope(),
    }
}

struct Seeder<'a> {
    app: &'a App,
    /// The administrator the data set is seeded through.
    admin: Actor,
    /// Today (UTC), and a year back: when the demo's parameter versions take effect. Any
    /// region's day will do.
    today: Date,
    start: String,
    counter: u32,
    data: DemoData,
}

/// The staff who take the demo holders' cards through their stages.
struct Staff {
    clerk: Actor,
    teller: Actor,
    bank_system: Actor,
}

/// What a demo login is bound to, beyond what `login` covers.
enum Binding<'a> {
    Employer(&'a str),
    Institution(&'a str),
    Provider(&'a str),
    Vendor(&'a str),
}

impl Seeder<'_> {
    fn login_bound(
        &mut self,
        username: &str,
        role: Role,
        binding: Binding<'_>,
        note: &str,
    ) -> Result<(), AppError> {
        let password = generate_password();
        let key = self.key();
        let (mut employer_id, mut institution_id, mut provider_id, mut vendor_id) =
            (None, None, None, None);
        match binding {
            Binding::Employer(id) => employer_id = Some(id.to_owned()),
            Binding::Institution(id) => institution_id = Some(id.to_owned()),
            Binding::Provider(id) => provider_id = Some(id.to_owned()),
            Binding::Vendor(id) => vendor_id = Some(id.to_owned()),
        }
        let user = NewUser {
            username: username.into(),
            password: password.clone(),
            role: role.as_str().into(),
            branch_id: None,
            bank_id: None,
            person_id: None,
            employer_id,
            institution_id,
            provider_id,
            vendor_id,
        };
        self.app.create_user(&self.admin, &key, user)?;
        self.data.logins.push(DemoLogin {
            username: username.into(),
            password,
            role: role.as_str().into(),
            note: note.into(),
        });
        Ok(())
    }

    fn key(&mut self) -> String {
        self.counter += 1;
        format!("demo-seed-{:05}", self.counter)
    }

    fn login(
        &mut self,
        username: &str,
        role: Role,
        binding: (Option<&str>, Option<&str>, Option<&str>),
        note: &str,
    ) -> Result<Actor, AppError> {
        let password = generate_password();
        let key = self.key();
        let view = self.app.create_user(
            &self.admin,
            &key,
            NewUser {
                username: username.into(),
                password: password.clone(),
                role: role.as_str().into(),
                branch_id: binding.0.map(Into::into),
                bank_id: binding.1.map(Into::into),
                person_id: binding.2.map(Into::into),
                employer_id: None,
                institution_id: None,
                provider_id: None,
                vendor_id: None,
            },
        )?;
        self.data.logins.push(DemoLogin {
            username: username.into(),
            password,
            role: role.as_str().into(),
            note: note.into(),
        });
        Ok(actor_of(&view))
    }
}

impl App {
    /// Seeds the demo data set through `admin`, an administrator. Fails if run twice.
    pub fn seed_demo(&self, admin: &Actor) -> Result<DemoData, AppError> {
        let today = self.now().utc_date();
        let mut s = Seeder {
            app: self,
            admin: admin.clone(),
            today,
            // The first of January two years back: the Decembers declared (the base of a
            // maternity allowance) have their parameters.
            start: shebao_domain::time::Date::new(today.year() - 2, 1, 1)
                .unwrap_or(today)
                .to_string(),
            counter: 0,
            data: DemoData {
                logins: Vec::new(),
                holders: Vec::new(),
            },
        };
        self.seed_regions(&mut s)?;
        self.seed_banks(&mut s)?;
        let staff = self.seed_staff(&mut s)?;
        let people = [
            ("11010519491231002X", "王秀英", "applied"),
            ("330106199003071236", "李明", "ready_for_collection"),
            ("310104198506153523", "张丽", "deposit_only"),
            ("110101200001010010", "陈伟", "active"),
            ("110101200002290026", "刘芳", "temporarily_lost"),
            ("440524188001010014", "赵老先生", "temporary_card"),
        ];
        for person in people {
            self.seed_holder(&mut s, &staff, person)?;
        }
        // Contributions for the collected holders through a demo employer (two months
        // declared and paid, so personal accounts hold money), and a hospital with its
        // cashier, a small catalogue and this year's medical policy.
        self.seed_insurance(&mut s, &staff.clerk)?;
        self.seed_training(&mut s, &staff.clerk)?;
        self.seed_production(&mut s, &staff.clerk)?;
        self.seed_medical(&mut s, &staff.clerk)?;
        self.seed_waiting_credit(&mut s, &staff.clerk)?;
        Ok(s.data)
    }
    /// The two demo regions and their parameters, in force since a year back.
    fn seed_regions(&self, s: &mut Seeder<'_>) -> Result<(), AppError> {
        for (code, name, loss_days) in [
            ("330100", "杭州市 Hangzhou", 15),
            ("440300", "深圳市 Shenzhen", 5),
        ] {
            let key = s.key();
            self.create_region(
                &s.admin,
                &key,
                NewRegion {
                    code: code.into(),
                    name: name.into(),
                },
            )?;
            let params = RegionParameters {
                temporary_loss_days: loss_days,
                ..RegionParameters::common()
            };
            let key = s.key();
            self.add_parameters(
                &s.admin,
                &key,
                code,
                NewParameters {
                    effective_from: s.start.clone(),
                    parameters: ParametersBody::from_domain(&params),
                },
            )?;
        }
        Ok(())
    }

    /// The two demo banks, each with one branch.
    fn seed_banks(&self, s: &mut Seeder<'_>) -> Result<(), AppError> {
        for (id, name, bin, branch, branch_name) in [
            (
                "icbc",
                "中国工商银行 ICBC",
                "621226",
                "icbc-hz-xihu",
                "工行杭州西湖支行 ICBC Hangzhou Xihu",
            ),
            (
                "abc",
                "中国农业银行 ABC",
                "622848",
                "abc-sz-futian",
                "农行深圳福田支行 ABC Shenzhen Futian",
            ),
        ] {
            let key = s.key();
            self.create_bank(
                &s.admin,
                &key,
                NewBank {
                    id: id.into(),
                    name: name.into(),
                    bin: bin.into(),
                    numbers_from_bank: false,
                },
            )?;
            let key = s.key();
            let region = if id == "icbc" { "330100" } else { "440300" };
            self.create_branch(
                &s.admin,
                &key,
                id,
                NewBranch {
                    id: branch.into(),
                    name: branch_name.into(),
                    region: region.into(),
                },
            )?;
        }
        Ok(())
    }

    /// The staff logins and the appraisal committee's expert pool; returns the clerk, the
    /// ICBC teller and ICBC's card system, who seed the holders.
    fn seed_staff(&self, s: &mut Seeder<'_>) -> Result<Staff, AppError> {
        let clerk = s.login(
            "clerk",
            Role::BureauClerk,
            (None, None, None),
            "bureau window: registry, cards, losses",
        )?;
        let teller = s.login(
            "teller-icbc",
            Role::BankTeller,
            (Some("icbc-hz-xihu"), None, None),
            "ICBC counter: activation, cash",
        )?;
        s.login(
            "teller-abc",
            Role::BankTeller,
            (Some("abc-sz-futian"), None, None),
            "ABC counter (another bank)",
        )?;
        let bank_system = s.login(
            "icbc-system",
            Role::BankSystem,
            (None, Some("icbc"), None),
            "ICBC card payments",
        )?;
        s.login("auditor", Role::Auditor, (None, None, None), "audit trail")?;
        // Issue 13, finding 9: each person's large credits and every reversal wait for a peer.
        s.login(
            "clerk-2",
            Role::BureauClerk,
            (None, None, None),
            "second clerk: approves or rejects the clerk's large credits",
        )?;
        s.login(
            "teller-icbc-2",
            Role::BankTeller,
            (Some("icbc-hz-xihu"), None, None),
            "second ICBC teller: approves reversals and large deposits",
        )?;
        let secretary = s.login(
            "secretary",
            Role::AppraisalSecretary,
            (None, None, None),
            "appraisal committee: expert pool, panels, conclusions",
        )?;
        // The committee's pool in Hangzhou: five experts, enough for a panel of five.
        for (code, specialty) in [
            ("HZ-E01", "骨科 orthopaedics"),
            ("HZ-E02", "神经外科 neurosurgery"),
            ("HZ-E03", "手外科 hand surgery"),
            ("HZ-E04", "眼科 ophthalmology"),
            ("HZ-E05", "康复医学 rehabilitation"),
        ] {
            let key = s.key();
            self.add_injury_expert(
                &secretary,
                &key,
                "330100",
                crate::insurance::injury::NewExpert {
                    code: code.into(),
                    specialty: specialty.into(),
                    employer_id: None,
                },
            )?;
        }
        Ok(Staff {
            clerk,
            teller,
            bank_system,
        })
    }

    /// A back payment of 80,000 yuan the clerk entered for the active holder: above the
    /// region's limit for one person, so it waits for `clerk-2` (issue 13, finding 9).
    fn seed_waiting_credit(&self, s: &mut Seeder<'_>, clerk: &Actor) -> Result<(), AppError> {
        let Some(card) = s
            .data
            .holders
            .iter()
            .find(|holder| holder.state == "active")
            .map(|holder| holder.card_id.clone())
        else {
            return Ok(());
        };
        let key = s.key();
        self.credit_benefit(
            clerk,
            &key,
            &card,
            CreditRequest {
                kind: "pension".into(),
                amount_fen: 8_000_000,
                region: "330100".into(),
                memo: Some("补发养老金 pension back pay".into()),
            },
        )?;
        Ok(())
    }

    /// Both regions' contribution and benefit parameters and the demo employer with its desk
    /// login.
    fn seed_insurance(&self, s: &mut Seeder<'_>, clerk: &Actor) -> Result<(), AppError> {
        use crate::insurance::{
            ContributionParametersBody, NewContributionParameters, NewEmployer,
        };

        use shebao_domain::insurance::ContributionParameters;

        for region in ["330100", "440300"] {
            let parameters =
                ContributionParametersBody::from_domain(&ContributionParameters::example(), 0);
            let key = s.key();
            self.add_contribution_parameters(
                &s.admin,
                &key,
                region,
                NewContributionParameters {
                    effective_from: s.start.clone(),
                    parameters,
                },
            )?;
        }
        for region in ["330100", "440300"] {
            use crate::insurance::benefit_parameters::{
                BenefitParametersBody, NewBenefitParameters,
            };
            use shebao_domain::insurance::unemployment::BenefitParameters;
            let key = s.key();
            self.add_benefit_parameters(
                &s.admin,
                &key,
                region,
                NewBenefitParameters {
                    effective_from: s.start.clone(),
                    parameters: BenefitParametersBody::from_domain(&BenefitParameters::example()),
                },
            )?;
        }
        let key = s.key();
        let employer = self.register_employer(
            clerk,
            &key,
            NewEmployer {
                credit_code: "91350100M000100Y43".into(),
                name: "杭州示例科技有限公司 Hangzhou Demo Tech".into(),
                region: "330100".into(),
                risk_class: 1,
                rate_tier_percent: 100,
            },
        )?;
        s.login_bound(
            "employer-hz",
            Role::Employer,
            Binding::Employer(&employer.id),
            "employer desk: declarations, arrears",
        )?;
        self.seed_contributions(s, clerk, &employer.id)
    }

    /// A training provider in Hangzhou with its staff's login, and one course of theirs the
    /// bureau approved, starting in a week.
    fn seed_training(&self, s: &mut Seeder<'_>, clerk: &Actor) -> Result<(), AppError> {
        use crate::employment::training::{CourseReview, NewCourse, NewTrainingProvider};
        let key = s.key();
        let provider = self.register_training_provider(
            clerk,
            &key,
            NewTrainingProvider {
                credit_code: "52330100MJ00000112".into(),
                name: "杭州市职业技能培训学校 Hangzhou Vocational Skills School".into(),
                region: "330100".into(),
            },
        )?;
        s.login_bound(
            "provider",
            Role::TrainingProvider,
            Binding::Provider(&provider.id),
            "training provider: courses, attendance, completions",
        )?;
        let staff = self.actor_for_username("provider")?;
        let key = s.key();
        let course = self.post_training_course(
            &staff,
            &key,
            &provider.id,
            NewCourse {
                title: "中式烹调师（初级） Chinese cook, level 5".into(),
                occupation: "4-03-02-01".into(),
                hours: 120,
                places: 30,
                subsidy_fen: 200_000,
                payee: "card".into(),
                starts_on: s.today.add_days(7).to_string(),
                ends_on: s.today.add_days(37).to_string(),
            },
        )?;
        let key = s.key();
        self.review_training_course(
            clerk,
            &key,
            &course.id,
            CourseReview {
                decision: "approve".into(),
                note: None,
            },
        )?;
        Ok(())
    }

    /// The collected holders enrolled with the employer, the last two months and the last two
    /// Decembers declared and paid.
    fn seed_contributions(
        &self,
        s: &mut Seeder<'_>,
        clerk: &Actor,
        employer: &str,
    ) -> Result<(), AppError> {
        use crate::insurance::declarations::{DeclarationRow, DeclarationRows};
        use crate::insurance::{NewEnrolment, PaymentRequest};

        use shebao_domain::insurance::Month;

        let this_month = Month::of(s.today);
        // The last two months, and the last two Decembers: the base a maternity allowance is
        // counted on is the employer's average wage of the year before the event's, and an
        // event of this year or the last has one.
        let mut months = vec![this_month.add_months(-2), this_month.add_months(-1)];
        for years_back in [1, 2] {
            months.extend(Month::new(this_month.year() - years_back, 12));
        }
        months.sort_unstable();
        months.dedup();
        let insured: Vec<DemoHolder> = s
            .data
            .holders
            .iter()
            .filter(|h| h.financial_pin.is_some() || h.state == "deposit_only")
            .cloned()
            .collect();
        for holder in &insured {
            let key = s.key();
            self.enrol(
                clerk,
                &key,
                NewEnrolment {
                    person_id: holder.person_id.clone(),
                    kind: "employee".into(),
                    employer_id: Some(employer.to_owned()),
                    region: None,
                    start_month: months[0].to_string(),
                },
            )?;
        }
        let rows = insured
            .iter()
            .flat_map(|h| {
                months.iter().map(|m| DeclarationRow {
                    citizen_id: h.citizen_id.clone(),
                    month: m.to_string(),
                    wage_fen: 1_000_000,
                })
            })
            .collect();
        self.declare_rows(clerk, employer, DeclarationRows { rows })?;
        for month in &months {
            let key = s.key();
            self.record_contribution_payment(
                clerk,
                &key,
                employer,
                PaymentRequest {
                    month: month.to_string(),
                },
            )?;
        }
        Ok(())
    }

    /// The demo hospital, its cashier and a small catalogue, then the medical policies.
    fn seed_medical(&self, s: &mut Seeder<'_>, clerk: &Actor) -> Result<(), AppError> {
        use crate::medical::{NewCatalogueItem, NewInstitution};

        let key = s.key();
        self.register_institution(
            clerk,
            &key,
            NewInstitution {
                id: "hz-hospital".into(),
                name: "浙大一院 First Affiliated Hospital".into(),
                region: "330100".into(),
                kind: "hospital".into(),
                level: 3,
            },
        )?;
        s.login_bound(
            "cashier-hz",
            Role::Cashier,
            Binding::Institution("hz-hospital"),
            "hospital cashier: settlement",
        )?;
        for (code, name, class, share) in [
            ("A001", "阿莫西林胶囊 Amoxicillin", "a", None),
            ("B001", "布洛芬缓释胶囊 Ibuprofen", "b", Some(100_000)),
            ("C001", "保健品 Supplement", "self_paid", None),
        ] {
            let key = s.key();
            let item = NewCatalogueItem {
                code: code.into(),
                name: name.into(),
                class: class.into(),
                first_share_ppm: share,
                limit_price_fen: None,
                effective_from: s.start.clone(),
            };
            self.add_catalogue_item(&s.admin, &key, "330100", item)?;
        }
        self.seed_medical_policies(s)
    }

    /// This year's medical policy of both regions.
    fn seed_medical_policies(&self, s: &mut Seeder<'_>) -> Result<(), AppError> {
        use crate::medical::{MedicalPolicy, NewMedicalPolicy, PolicyRule, SupplementaryFund};

        let rule = |status: Option<&str>, ratio| PolicyRule {
            insurance_type: None,
            level: None,
            visit: None,
            status: status.map(Into::into),
            deductible_fen: 130_000,
            pool_ratio_ppm: ratio,
        };
        for region in ["330100", "440300"] {
            let policy = MedicalPolicy {
                annual_cap_fen: 30_000_000,
                // A birth's costs (maternity, 510): no deductible, paid whole in scope.
                rules: vec![
                    rule(None, 850_000),
                    rule(Some("retired"), 900_000),
                    PolicyRule {
                        insurance_type: Some(crate::medical::MATERNITY.into()),
                        deductible_fen: 0,
                        ..rule(None, 1_000_000)
                    },
                ],
                // Issue 13, finding 5: the holder's social PIN authorises every settlement
                // (and so every debit of the personal account), beside the card itself.
                social_pin_required: true,
                supplementary: Some(SupplementaryFund {
                    name: "大额医疗互助 large-amount mutual aid".into(),
                    ratio_ppm: 900_000,
                    annual_cap_fen: 40_000_000,
                }),
            };
            let key = s.key();
            self.set_medical_policy(
                &s.admin,
                &key,
                region,
                NewMedicalPolicy {
                    year: s.today.year(),
                    policy,
                },
            )?;
        }
        Ok(())
    }
}
