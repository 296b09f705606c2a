//! One well-formed request per operation and target.

use super::*;

impl World {
    /// The operation's path with its parameters naming the target's records, as `role` (an
    /// index into [`Role::ALL`]) acts.
    pub(super) fn path(&self, operation: &Entry, target: Target, role: usize) -> String {
        let missing = |prefix: &str| format!("{prefix}_no_such_record");
        // A clerk's own requests are the bureau's; everybody else's, their bank's.
        let own_approval = if Role::ALL[role] == Role::BureauClerk {
            &self.approvals[0]
        } else {
            &self.approvals[1]
        };
        let approval = match target {
            Target::Own => own_approval.clone(),
            Target::Other => self.approvals[2].clone(),
            Target::Missing => missing("apr"),
        };
        let teller = Role::ALL[role] == Role::BankTeller;
        let values = [
            ("{region}", pick_str(REGIONS, target)),
            ("{bank}", pick_str(BANKS, target)),
            ("{person}", pick(&self.persons, &missing("per"), target)),
            ("{card}", pick(&self.cards, &missing("crd"), target)),
            ("{account}", pick(&self.accounts, &missing("acc"), target)),
            ("{transfer}", pick(&self.transfers, &missing("trf"), target)),
            ("{employer}", pick(&self.employers, &missing("emp"), target)),
            (
                "{declaration}",
                pick(&self.declarations, &missing("dec"), target),
            ),
            (
                "{enrolment}",
                pick(&self.enrolments, &missing("enr"), target),
            ),
            (
                "{code}",
                pick(&self.certificates, "SB-0000-0000-0000", target),
            ),
            ("{bill}", pick_str(BILLS, target)),
            ("{institution}", pick_str(INSTITUTIONS, target)),
            ("{kind}", "pension".to_owned()),
            ("{approval}", approval),
            (
                "{vacancy}",
                pick(
                    match operation.id() {
                        "apply_for_job" => &self.open_vacancies,
                        "close_vacancy" => &self.closable_vacancies,
                        "review_vacancy" => &self.pending_vacancies,
                        _ => &self.vacancies,
                    },
                    &missing("vac"),
                    target,
                ),
            ),
            (
                "{application}",
                pick(&self.applications, &missing("jap"), target),
            ),
            ("{spell}", pick(&self.spells, &missing("uns"), target)),
            ("{referral}", pick(&self.referrals, &missing("ref"), target)),
            (
                "{claim}",
                pick(&self.maternity_claims, &missing("mat"), target),
            ),
            ("{case}", pick(&self.injury_cases, &missing("inj"), target)),
            (
                "{appraisal}",
                pick(&self.injury_appraisals, &missing("apr"), target),
            ),
            ("{provider}", pick(&self.providers, &missing("tpr"), target)),
            (
                "{course}",
                pick(
                    if operation.id() == "review_training_course" {
                        &self.pending_courses
                    } else {
                        &self.courses
                    },
                    &missing("tco"),
                    target,
                ),
            ),
            (
                "{training_referral}",
                pick(&self.training_referrals, &missing("trr"), target),
            ),
            (
                "{training_enrolment}",
                pick(&self.training_enrolments, &missing("ten"), target),
            ),
            ("{vendor}", pick(&self.vendors, &missing("cvn"), target)),
            ("{product}", pick(&self.products, &missing("cpr"), target)),
            (
                "{test_card}",
                pick(&self.test_cards, &missing("tcd"), target),
            ),
            ("{batch}", pick(&self.batches, &missing("pbt"), target)),
            ("{ecard}", pick(&self.ecards, &missing("ecd"), target)),
            // The tenants' region's first key (retired by `create_ecard_key`, which runs
            // first: withdrawn the first time, then refused as the wrong state, never as
            // another's), or one never made.
            (
                "{ecard_key}",
                pick_str(
                    ["330100-ecard-v1", "330100-ecard-v1", "330100-ecard-v99"],
                    target,
                ),
            ),
            ("{part}", "1".to_owned()),
            // The two regions' default points, service centres, and their shipments; a
            // teller's, the two bank branches' points and their shipments.
            (
                "{point}",
                match (target, teller) {
                    (Target::Own, false) => self.points[0].clone(),
                    (Target::Other, false) => self.points[2].clone(),
                    (Target::Own, true) => self.points[1].clone(),
                    (Target::Other, true) => self.points[3].clone(),
                    (Target::Missing, _) => missing("pkp"),
                },
            ),
            (
                "{shipment}",
                pick(
                    if teller {
                        &self.branch_shipments
                    } else {
                        &self.shipments
                    },
                    &missing("shp"),
                    target,
                ),
            ),
        ];
        let mut path = operation.path().to_owned();
        for (parameter, value) in values {
            path = path.replace(parameter, &value);
        }
        assert!(
            !path.contains('{'),
            "{path}: a path parameter access.rs does not fill"
        );
        if operation.id() == "search_catalogue" {
            path.push_str("?q=A0");
        }
        if matches!(
            operation.id(),
            "production_gate" | "list_card_keys" | "list_ecard_keys" | "list_pickup_points"
        ) {
            path.push_str(&format!("?region={}", REGIONS[0]));
        }
        if operation.id() == "reconciliation" {
            path.push_str(&format!("?date={}", self.today));
        }
        path
    }

    /// A well-formed body for the operation, naming the target's records where the body
    /// names any. `n` makes names unique where a repeat would only be a conflict.
    /// Tenant A's card as read, tenant B's, or a well-formed pair that names no card.
    pub(super) fn card_as_read(&self, target: Target) -> Value {
        match target {
            Target::Own => self.cards_as_read[0].clone(),
            Target::Other => self.cards_as_read[1].clone(),
            Target::Missing => json!({ "card": {
                "card_number": "Z99999999", "identification_code": "330100D156000005FFFFFFFFFFFFFFFF"
            } }),
        }
    }

    pub(super) fn payload(&self, operation: &str, target: Target, n: usize) -> Payload {
        let person = pick(&self.persons, "per_no_such_record", target);
        let card = pick(&self.cards, "crd_no_such_record", target);
        let citizen = pick_str([CITIZENS[0], CITIZENS[1], UNREGISTERED_CITIZEN], target);
        let employer = pick(&self.employers, "emp_no_such_record", target);
        let region = pick_str(REGIONS, target);
        let body = match operation {
            // Reads and actions without a body.
            "sign_out"
            | "whoami"
            | "list_regions"
            | "list_parameters"
            | "list_banks"
            | "list_branches"
            | "get_person"
            | "list_person_cards"
            | "get_card"
            | "card_history"
            | "get_card_account"
            | "get_statement"
            | "list_audit"
            | "verify_audit"
            | "get_employer"
            | "list_arrears"
            | "declaration_errors"
            | "list_enrolments"
            | "contribution_history"
            | "insurance_summary"
            | "personal_account_statement"
            | "get_pension_award"
            | "certificate_pdf"
            | "verify_certificate"
            | "reconciliation"
            | "search_catalogue"
            | "person_settlements"
            | "list_approvals"
            | "employer_vacancies"
            | "close_vacancy"
            | "vacancies_to_review"
            | "search_vacancies"
            | "get_vacancy"
            | "withdraw_job_application"
            | "share_job_application"
            | "my_job_applications"
            | "list_applicants"
            | "get_job_profile"
            | "register_unemployed"
            | "unemployment_record"
            | "unemployment_claims"
            | "decide_unemployment_claim"
            | "maternity_claims"
            | "maternity_claims_to_decide"
            | "injury_record"
            | "employer_injury_cases"
            | "injury_cases_to_decide"
            | "injury_experts"
            | "injury_cases_to_appraise"
            | "settle_injury_benefits"
            | "list_training_providers"
            | "provider_training_courses"
            | "training_courses_to_review"
            | "open_training_courses"
            | "enrol_in_training"
            | "withdraw_training_enrolment"
            | "training_record"
            | "course_trainees"
            | "training_subsidies_to_pay"
            | "pay_training_subsidy"
            | "list_card_vendors"
            | "get_card_vendor"
            | "vendor_card_products"
            | "get_card_product"
            | "production_gate"
            | "list_card_keys"
            | "list_ecard_keys"
            | "list_my_ecards"
            | "published_ecard_keys"
            | "list_production_batches"
            | "get_production_batch"
            | "production_batch_cards"
            | "ship_production_batch"
            | "get_sealing_key"
            | "production_signing_key"
            | "get_personalisation_file"
            | "get_personalisation_part"
            | "generate_personalisation_file"
            | "list_pickup_points"
            | "point_shipments"
            | "uncollected_cards"
            | "recall_uncollected"
            | "my_notifications"
            | "get_collection_point"
            | "cards_awaiting_bank_number"
            | "issue_instantly"
            | "mail_queue"
            | "recalled_cards"
            | "sms_outbox"
            | "healthz"
            | "readyz"
            | "metrics"
            | "openapi"
            | "docs" => return Payload::Nothing,
            "start_production"
            | "unlock_social_pin"
            | "unlock_financial_pin"
            | "request_replacement"
            | "return_temporary_card"
            | "issue_certificate"
            | "withdraw_ecard_key"
            | "approve" => json!({}),
            "issue_ecard" => json!({ "social_pin": SOCIAL_PIN }),
            "show_ecard_code" => json!({ "purpose": "identity" }),
            "revoke_ecard" => json!({ "reason": "holder_request" }),
            // Tenant A's holder's code, tenant B's, or a well-formed code of no key.
            "check_ecard_code" => json!({ "code": pick(
                &self.ecard_codes,
                "SBE1.330100-ecard-v99.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                target,
            ) }),
            "create_ecard_key" => json!({ "region": region }),
            "undo_settlement" => json!({ "reason": "matrix probe" }),
            "sign_in" => json!({ "username": "sign-in-probe", "password": PASSWORD }),
            "create_user" => json!({
                "username": format!("matrix-user-{n}"), "password": PASSWORD, "role": "auditor"
            }),
            "enrol_holder_login" => json!({
                "citizen_id": citizen, "card_number": "X00000019",
                "identification_code": "330100D15600000500000000000000AB", "social_pin": SOCIAL_PIN,
                "username": format!("matrix-enrol-{n}"), "password": PASSWORD
            }),
            "open_holder_login" => {
                json!({ "username": format!("matrix-holder-{n}"), "original_id_checked": true })
            }
            "reset_holder_login" => json!({ "original_id_checked": true }),
            "create_region" => json!({ "code": "320100", "name": "Nanjing" }),
            "add_parameters" => {
                json!({ "effective_from": "2021-01-01", "parameters": card_parameters() })
            }
            "create_bank" => json!({ "id": "boc", "name": "boc", "bin": "621661" }),
            "create_branch" => {
                json!({ "id": format!("branch-{n}"), "name": "branch", "region": REGIONS[0] })
            }
            "register_person" => json!({
                "citizen_id": NEW_CITIZEN, "name": "李娜", "nationality": "CHN", "household_region": "330106", "household_kind": "urban"
            }),
            "find_person" => json!({ "citizen_id": citizen }),
            "find_cards" => json!({ "by": "citizen_id", "number": citizen }),
            "correct_person" => {
                json!({ "reason": "access matrix check", "household_kind": "urban" })
            }
            "unmask_person" => json!({ "reason": "access matrix check" }),
            "apply_card" => {
                json!({ "person_id": person, "bank_id": BANKS[0], "region": REGIONS[0] })
            }
            "issue_temporary_card" => json!({
                "person_id": person, "region": REGIONS[0], "citizen_id": citizen, "social_pin": SOCIAL_PIN
            }),
            "mark_ready" => json!({ "distribution_point": "window" }),
            "collect_card" => json!({ "citizen_id": citizen, "social_pin": SOCIAL_PIN }),
            "collect_mailed_card" => json!({ "social_pin": SOCIAL_PIN }),
            "activate_financial" => json!({ "citizen_id": citizen, "pin": FINANCIAL_PIN }),
            "verify_social_pin" => json!({ "pin": SOCIAL_PIN }),
            "change_social_pin" => json!({ "old_pin": SOCIAL_PIN, "new_pin": SOCIAL_PIN }),
            "report_loss" => json!({ "side": "social", "kind": "temporary" }),
            "cancel_loss" => json!({ "side": "social" }),
            "request_renewal" => json!({ "reason": "damaged" }),
            "cancel_card" => json!({ "reason": "access matrix check" }),
            "deposit" => json!({ "amount_fen": 100 }),
            "withdraw" => json!({ "amount_fen": 100, "pin": FINANCIAL_PIN }),
            "purchase" => json!({ "amount_fen": 100, "pin": FINANCIAL_PIN, "merchant": "shop-1" }),
            "submit_batch" => json!({ "operations": [{
                "idempotency_key": format!("matrix-batch-{n}"), "operation": "purchase", "card": card,
                "request": { "amount_fen": 100, "pin": FINANCIAL_PIN, "merchant": "shop-1" }
            }] }),
            "credit_benefit" => {
                json!({ "kind": "benefit", "amount_fen": 100, "region": REGIONS[0] })
            }
            // From the target's card to the account of the other tenant's holder.
            "transfer" => {
                let to = if target == Target::Other {
                    &self.accounts[0]
                } else {
                    &self.accounts[1]
                };
                json!({ "to_account": to, "amount_fen": 100, "pin": FINANCIAL_PIN })
            }
            "reverse_transfer" | "reject" => json!({ "reason": "access matrix check" }),
            "add_contribution_parameters" => {
                json!({ "effective_from": "2021-01-01", "parameters": contribution_parameters() })
            }
            "register_employer" => json!({
                "credit_code": CREDIT_CODES[3], "name": "matrix", "region": REGIONS[0], "risk_class": 1, "rate_tier_percent": 100
            }),
            "import_declaration" => {
                let csv = format!("citizen_id,month,wage\n{citizen},2020-03,8000\n");
                return Payload::Raw("text/csv", csv.into_bytes());
            }
            "declare_rows" => {
                json!({ "rows": [{ "citizen_id": citizen, "month": "2020-02", "wage_fen": 800_000 }] })
            }
            "record_contribution_payment" => json!({ "month": "2020-01" }),
            "order_contribution_payment" => json!({ "month": "2020-04", "total_fen": 1 }),
            "enrol" => json!({
                "person_id": self.persons[usize::from(target == Target::Other)], "kind": "employee",
                "employer_id": employer, "start_month": "2022-01"
            }),
            "end_enrolment" => json!({ "end_month": "2030-12" }),
            "transfer_insured_place" => json!({
                "month": "2021-01", "kind": "employee",
                "employer_id": self.employers[usize::from(target == Target::Other)]
            }),
            "award_pension" => json!({ "category": "male" }),
            "run_pension_payout" => json!({ "region": region, "month": self.this_month }),
            "credit_pension_interest" => json!({ "region": region, "year": 2024 }),
            "verify_certificate_document" => {
                return Payload::Raw("application/pdf", b"%PDF-1.4 not issued".to_vec());
            }
            "calc_retirement" => json!({ "birth": "1970-05", "category": "male" }),
            "calc_pension" => json!({
                "average_wage_fen": 800_000, "contribution_index": "1.0", "contribution_months": 180,
                "account_balance_fen": 100_000, "retirement_age": 60
            }),
            "calc_contribution" => json!({ "average_wage_fen": 800_000, "wage_fen": 1_000_000 }),
            "calc_unemployment" => json!({ "contribution_months": 36, "carried_months": 6 }),
            "calc_injury" => {
                json!({ "own_wage_fen": 1_000_000, "average_wage_fen": 800_000, "grade": 5 })
            }
            "calc_death" => json!({
                "own_wage_fen": 1_000_000, "average_wage_fen": 800_000,
                "national_income_fen": 5_182_100, "dependants": "spouse,lone"
            }),
            "calc_maternity" => {
                json!({ "average_wage_fen": 800_000, "event": "birth", "babies": 2 })
            }
            "calc_settlement" => json!({
                "total_fen": 100_000, "self_paid_fen": 0, "over_limit_fen": 0, "class_b_fen": 0, "class_b_ratio": "0",
                "deductible_remaining_fen": 0, "pool_ratio": "85%", "cap_remaining_fen": 1_000_000, "account_balance_fen": 0
            }),
            "post_vacancy" => vacancy(&format!("matrix {n}")),
            "review_vacancy" => json!({ "decision": "approve" }),
            "apply_for_job" => json!({ "cover_note": "matrix", "share": true }),
            "record_application_outcome" => json!({ "outcome": "interviewed" }),
            "keep_job_profile" => json!({ "skills": "matrix", "available_from": self.today }),
            "add_benefit_parameters" => {
                json!({ "effective_from": "2021-01-01", "parameters": benefit_parameters() })
            }
            "report_leaver" => {
                json!({ "person_id": person, "left_on": self.today, "leaving": "involuntary" })
            }
            "stop_unemployment_benefit" => {
                json!({ "reason": "reemployed", "on": self.today, "note": "matrix" })
            }
            "record_unemployment_fraud" => {
                json!({ "overpaid_fen": 1, "fine_percent": 100, "note": "matrix" })
            }
            "run_unemployment_payout" => json!({ "region": region, "month": self.this_month }),
            "refer_job_seeker" => {
                json!({ "vacancy_id": self.open_vacancies[usize::from(target == Target::Other)], "note": "matrix" })
            }
            "record_referral_outcome" => json!({ "outcome": "not_hired", "note": "matrix" }),
            "claim_maternity_allowance" => json!({ "event": "birth", "event_on": self.today }),
            "decide_maternity_claim" => json!({ "decision": "refuse", "note": "matrix" }),
            "apply_injury_recognition" => json!({ "injured_on": self.today }),
            "decide_injury_case" => json!({ "decision": "refuse", "note": "matrix" }),
            "add_injury_expert" => json!({ "code": format!("M-{n}"), "specialty": "matrix" }),
            "draw_injury_panel" => json!({ "kind": "first", "size": 3 }),
            "conclude_injury_appraisal" => json!({ "grade": 5 }),
            "settle_injury_death" => json!({
                "died_on": self.today, "recipient_id": person, "dependants": [], "note": "matrix"
            }),
            "run_injury_payout" => json!({ "region": region, "month": self.this_month }),
            "register_training_provider" => json!({
                "credit_code": PROVIDER_CODES[2], "name": "matrix school", "region": region
            }),
            "post_training_course" => course(&format!("matrix {n}"), &self.region_today),
            "review_training_course" => json!({ "decision": "refuse", "note": "matrix" }),
            "record_training_attendance" => json!({ "day": self.region_today, "hours": 1 }),
            "record_training_completion" => json!({ "passed": true }),
            "refer_to_training" => json!({
                "course_id": self.courses[usize::from(target == Target::Other)], "note": "matrix"
            }),
            "record_training_referral_outcome" => {
                json!({ "outcome": "refused_with_reason", "note": "matrix" })
            }
            "register_card_vendor" => json!({
                "credit_code": production::VENDOR_CODES[2], "name": "matrix vendor",
                "region": region, "contact": "matrix"
            }),
            "record_vendor_credential" => json!({
                "kind": "card_production", "number": format!("L-{n}"), "issued_on": self.region_today,
                "valid_until": in_days(365)
            }),
            "register_card_product" => production::card_product(&format!("matrix {n}")),
            "change_card_product" => {
                json!({ "what": "card_face", "value": format!("2.{n}"), "note": "matrix" })
            }
            "record_gate_approval" => json!({
                "region": REGIONS[0], "step": "registration_approval", "reference": format!("R-{n}"),
                "approved_on": self.region_today
            }),
            "submit_test_card" => {
                json!({ "region": REGIONS[0], "serial": format!("T-{n}"), "made_on": self.region_today })
            }
            "record_test_card_audit" => {
                json!({ "audit": "safety", "passed": true, "audited_on": self.region_today })
            }
            "create_card_key" => json!({ "region": region, "purpose": "purchase" }),
            "create_production_batch" => json!({
                "product": pick(&self.batch_products, "cpr_no_such_record", target),
                "region": REGIONS[0], "cards": 1
            }),
            "register_pickup_point" => json!({
                "region": REGIONS[0], "kind": "service_centre", "name": format!("matrix point {n}"),
                "address": "matrix", "opening_hours": "9:00-17:00", "capacity": 10
            }),
            "receive_shipment" => json!({ "counted": 1, "missing": [] }),
            "choose_collection_point" => json!({ "point": self.points[0] }),
            "report_instant_issue" => json!({ "outcome": "produced" }),
            "choose_mail_delivery" => {
                json!({ "address": "浙江省杭州市西湖区文三路 90 号", "postcode": "310012" })
            }
            "post_card" => json!({ "carrier": "EMS", "tracking_number": "EMS1234567890CN" }),
            "destroy_cards" => {
                json!({ "cards": ["crd_no_such_card"], "method": "shredded", "witness": "王五" })
            }
            "report_mail_delivery" => json!({ "outcome": "returned", "reason": "无人签收" }),
            "assign_bank_card_number" => json!({ "bank_card_number": "6230661635021663331" }),
            "register_issuance_device" => json!({
                "public_key": shebao_app::keystore::new_sealing_key_pair().1,
                "product": self.batch_products[0]
            }),
            "mark_sms_sent" => json!({ "ids": ["sms_no_such_record"] }),
            "register_sealing_key" => {
                json!({ "public_key": shebao_app::keystore::new_sealing_key_pair().1 })
            }
            "report_production_results" => json!({ "results": [{
                "identification_code": pick(&self.batch_codes, "330100D156000005FFFFFFFFFFFFFFFF", target),
                "outcome": "produced"
            }] }),
            "register_institution" => json!({
                "id": "matrix-hospital", "name": "matrix", "region": REGIONS[0], "kind": "hospital", "level": 2
            }),
            "add_catalogue_item" => catalogue_item(),
            "set_medical_policy" => json!({ "year": self.year + 1, "policy": medical_policy() }),
            "query_insured" => self.card_as_read(target),
            "pre_settle" | "settle" => bill(&self.card_as_read(target), &format!("MX-{n}")),
            "check_reconciliation" => json!({
                "date": self.today, "csv": "bill_number,status,total_fen,fund_fen,account_fen,cash_fen\n"
            }),
            other => panic!("access.rs has no request for the operation {other}: add one"),
        };
        Payload::Json(body)
    }
}
