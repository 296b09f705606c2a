//! The portal's message catalogues: one per language (`zh.rs`, `en.rs`), each implementing
//! [`Words`], whose methods are the typed keys. A message missing in either language does
//! not build; a page asks `lang.words().sign_in()`, never a key as a string.

pub(crate) mod audit_actions;
mod distribution;
mod en;
mod en_audit;
mod everyday;
mod injury;
mod jobs;
mod production;
mod refusals;
mod training;
mod unemployment;
mod zh;
mod zh_audit;

pub(crate) use distribution::DistributionWords;
pub(crate) use everyday::EverydayWords;
pub(crate) use injury::InjuryWords;
pub(crate) use jobs::JobWords;
pub(crate) use production::ProductionWords;
pub(crate) use refusals::RefusalWords;
pub(crate) use training::TrainingWords;
pub(crate) use unemployment::UnemploymentWords;

use crate::portal::i18n::Lang;

/// Declares [`Words`]: one method per plain text (`key`), one per table's column headers
/// (`columns`, with their number), then (`more`) any message that takes arguments, written
/// out as a trait method.
macro_rules! keys {
    (
        $($key:ident),* $(,)? ;
        columns { $($columns:ident: $count:literal),* $(,)? }
        more { $($more:tt)* }
    ) => {
        /// Every text the portal shows, in one language.
        pub(crate) trait Words:
            Sync + RefusalWords + JobWords + UnemploymentWords + InjuryWords + TrainingWords
            + ProductionWords + DistributionWords + EverydayWords
        {
            $(fn $key(&self) -> &'static str;)*
            $(fn $columns(&self) -> [&'static str; $count];)*
            $($more)*
        }
    };
}

/// A language's plain texts, then its tables' column headers, as the methods of its
/// [`Words`] impl (a list of another length than the trait's does not build).
macro_rules! texts {
    ($($key:ident: $text:literal,)* ; columns { $($columns:ident: [$($header:literal),+ $(,)?],)* }) => {
        $(fn $key(&self) -> &'static str {
            $text
        })*
        $(fn $columns(&self) -> [&'static str; [$($header),+].len()] {
            [$($header),+]
        })*
    };
}
pub(crate) use texts;

keys! {
    detail_list_separator,
    yes,
    no,
    card_done_replacement,
    card_action_production,
    card_action_ready,
    card_action_collect,
    card_action_loss,
    card_action_cancel_loss,
    card_action_replacement,
    card_action_cancel,
    card_done_production,
    card_done_ready,
    card_done_collect,
    card_done_loss,
    card_done_cancel_loss,
    card_done_cancel,
    cancel_loss_side,
    cancel_reason,
    collect_hint,
    social_pin_six_digits,
    loss_side,
    loss_kind,
    replacement_warning,
    cancel_warning,
    household_region_code,
    phone_optional,
    register,
    back_to_window,
    correct_marked_field,
    citizen_id_not_echoed,
    citizen_id_from_original,
    nationality_code,
    registered,
    bill_needs_a_line,
    identify_one_way,
    settled_done,
    pre_settled_done,
    settlement_undone_done,
    settled_bills,
    undone_bills,
    total_yuan,
    pooled_fund_yuan,
    personal_accounts_yuan,
    cash_yuan,
    no_settlements_that_day,
    days_settlements,
    day_reconciliation,
    reconciliation_date,
    back_to_cashier_desk,
    visit_outpatient,
    visit_inpatient,
    visit_pharmacy,
    settlement_preview,
    bill,
    split_part,
    split_yuan,
    insured_retired,
    insured_working,
    balance_needs_card,
    insured_region,
    insured_status,
    personal_account_balance,
    insured_person,
    cashier_desk,
    find_insured,
    holder_nav_contributions,
    holder_nav_accounts,
    holder_nav_settlements,
    holder_nav_certificate,
    holder_nav,
    holder_only,
    my_contributions,
    pension_paid_total,
    medical_paid_total,
    contribution_time,
    years_unit,
    months_unit,
    register_person,
    kind_temporary_card,
    kind_standard_card,
    loss_temporary,
    loss_formal,
    loss_none,
    gender_male,
    gender_female,
    household_urban,
    household_rural,
    handle_at_window,
    unmasked_notice,
    person_name,
    gender,
    birth_date,
    nationality,
    household_region,
    household_kind,
    phone,
    registered_at,
    show_in_clear,
    unmask_reason,
    unmask_reason_hint,
    person_cards,
    no_card_yet,
    no_bank_or_region,
    apply_for_card,
    service_bank_choice,
    apply_region,
    issue_temporary_card,
    temporary_card_about,
    issue_region,
    social_pin_on_pad,
    open_new_card,
    loss_until,
    account_and_balance,
    card_kind,
    none_temporary_card,
    service_bank,
    region,
    distribution_point,
    applied_at,
    collected_at,
    valid_until,
    replaces,
    replaced_by,
    card_done_with,
    what_can_be_done,
    not_your_desk,
    unlock_pin,
    unlock_explain,
    unlock_financial_pin,
    unlock_social_pin,
    unlock_choose_pin,
    financial_pin_unlocked,
    social_pin_unlocked,
    cash_withdrawal,
    back_to_card,
    help_financial_lost,
    help_not_activated,
    help_activated,
    help_no_financial,
    help_pin_locked,
    help_pin_not_locked,
    help_your_card,
    help_activation_question,
    help_activation_answer,
    help_lost_question,
    help_lost_answer,
    help_pins_question,
    help_pins_answer,
    help_uses_question,
    help_uses_answer,
    help_title,
    title,
    sign_in,
    sign_out,
    username,
    password,
    sign_in_throttled,
    switch,
    home,
    my_cards,
    card_number,
    bank_card,
    status,
    social_side,
    financial_side,
    balance,
    next_step,
    no_card,
    report_loss,
    desk_teller,
    desk_clerk,
    find_card,
    find,
    activate,
    citizen_id,
    pin_pad,
    activated,
    deposit,
    amount_yuan,
    deposited,
    awaiting_approval,
    find_person,
    person,
    not_found,
    api_desk,
    refused,
    nul_refused,
    too_large,
    csrf,
    change_pin,
    which_card,
    current_pin,
    new_pin,
    pin_rule,
    pin_changed,
    no_card_with_pin,
    no_records_match,
    trail_caption,
    records_shown,
    no_employees,
    employees_caption,
    nothing_owed,
    arrears_caption,
    no_settlements,
    settlements_title,
    settlements_caption,
    undone,
    settled,
    no_entries,
    balance_lower,
    no_contributions,
    totals_caption,
    months_caption,
    paid,
    owed,
    settle_a_bill,
    bill_number,
    visit,
    bill_lines_caption,
    item_code,
    quantity,
    unit_price,
    use_account,
    social_pin_if_asked,
    pre_settle,
    settle,
    card_applied,
    temporary_issued,
    identify_patient,
    patient_card_number,
    identification_code,
    ecard_code,
    citizen_id_without_card,
    why_without_card,
    page_not_found,
    go_home,
    loss_state,
    list_separator,
    cancel_loss,
    confirm_loss_title,
    confirm_loss_text,
    confirm_loss,
    keep_card,
    loss_reported_done,
    loss_cancelled_done,
    next_active,
    next_temporary_card,
    next_temporary_loss,
    next_formal_loss,
    next_ask,
    financial_deposit_only,
    financial_active,
    financial_closed,
    financial_none,
    find_by,
    number,
    no_card_found,
    holder,
    session_expired,
    no_login_title,
    no_login_text,
    enrol_link,
    forgot_title,
    forgot_text,
    enrolled,
    enrol_explain,
    citizen_id_plain,
    new_username,
    username_rule,
    new_password,
    password_rule,
    enrol_submit,
    back_to_sign_in,
    original_id_checked,
    holder_login,
    open_login,
    reset_password,
    reset_about,
    login_issued,
    one_time_password,
    declaration_file,
    upload,
    no_file,
    declaration_format,
    audit_title,
    audit_filters,
    audit_actor_contains,
    audit_action_label,
    any_action,
    audit_subject_contains,
    date_from,
    date_to,
    show,
    who_unmasked,
    all_records,
    export_csv,
    verify_title,
    verify_explain,
    verify,
    next_page,
    outcome_ok,
    outcome_denied,
    outcome_refused,
    bad_date,
    chains_intact,
    chains_broken,
    export_cut,
    amount_missing,
    amount_not_number,
    amount_not_positive,
    amount_decimals,
    amount_too_large,
    confirm_first,
    confirm_irreversible,
    outside_catalogue,
    more_rows,
    certificate_check_title,
    verify_lead,
    verify_issued,
    verify_unknown,
    verify_code,
    verify_issued_at,
    verify_holder,
    verify_months,
    verify_pension_total,
    verify_medical_total,
    verify_upload,
    verify_check,
    verify_matches,
    verify_differs,
    certificate_title,
    certificate_lead,
    certificate_issue,
    no_certificates,
    certificates_caption,
    download_pdf,
    my_accounts,
    account_pension,
    account_medical,
    account_bank,
    all_entries,
    statement_filters,
    back_to_accounts,
    card_history,
    notifications,
    confirm_undo,
    undo_confirm_first,
    print_receipt,
    receipt_deposit,
    receipt_withdrawal,
    receipt_settlement,
    receipt_undo,
    chart_contributions,
    chart_contributions_desc,
    part_individual,
    part_employer,
    chart_balance,
    chart_balance_desc,
    undo_title,
    bill_number_label,
    undo_reason_label,
    undo_reason,
    reconcile_today,
    catalogue_title,
    catalogue_label,
    catalogue_find,
    catalogue_none,
    catalogue_caption,
    class_a,
    class_b,
    class_self_paid,
    no_limit,
    namesakes_caption,
    number_or_name,
    employer_title,
    employer_credit_code,
    employer_employees_title,
    arrears_title,
    employer_declare_title,
    employer_declare_explain,
    employer_csv_label,
    employer_declare_submit,
    employer_importing,
    employer_declare_api,
    employer_declared_with_rejects,
    employer_declared_ok,
    employer_declared_before,
    employer_rows_total,
    employer_rows_accepted,
    employer_rows_unchanged,
    employer_rows_rejected,
    employer_download_rejects,
    arrears_pay,
    arrears_confirm_first,
    no_person_of_name,
    refused_title;
    columns {
        catalogue_columns: 5,
        namesakes_columns: 4,
        receipt_columns: 6,
        settlement_receipt_columns: 4,
        certificate_columns: 5,
        audit_columns: 6,
        audit_csv_columns: 7,
        reconciliation_columns: 8,
        employee_columns: 4,
        arrears_columns: 5,
        contribution_total_columns: 4,
        contribution_month_columns: 7,
        statement_columns: 4,
        settlement_columns: 7,
        split_parts: 10,
        error_file_columns: 4,
    }
    more {
        /// A role by its code (`bureau_clerk`, …, and the audit trail's `operator` and
        /// `anonymous`), `None` for an unknown code.
        fn role(&self, code: &str) -> Option<&'static str>;
        /// A coded value of an audit detail's `status`, `operation` or `reason` (a card's or
        /// an approval request's status, a money operation, why an approval was asked),
        /// `None` for any other text.
        fn audit_detail_value(&self, code: &str) -> Option<&'static str>;
        /// A region `code` not itself set up, by the region set up that it lies in (`name`:
        /// its city's or province's).
        fn region_in(&self, code: &str, name: &str) -> String;
        /// The name of an amount shown in yuan: `name` with the unit.
        fn in_yuan(&self, name: &str) -> String;
        /// The name of a field of an audit record's detail (an amount's without its `_fen`),
        /// `None` for one not in `audit_actions::AUDIT_DETAIL_FIELDS`.
        fn audit_detail_field(&self, name: &str) -> Option<&'static str>;
        /// A withdrawal paid out: `amount` yuan, leaving `balance` yuan in the account.
        fn withdrawn(&self, amount: &str, balance: &str) -> String;
        /// Why bill line `row` (counted from 1), filled in part, is refused.
        fn bill_line_incomplete(&self, row: usize) -> String;
        /// The labels of what a year's medical insurance has used so far, in yuan: the
        /// deductible, the pooled fund and the supplementary fund.
        fn year_used(&self, year: i32) -> [String; 3];
        /// An audit record's action in words (`None`: not one of [`audit_actions::AUDIT_ACTIONS`]).
        fn audit_action(&self, code: &str) -> Option<&'static str>;
        /// A wrong password, with the tries left before sign-ins from here wait.
        fn sign_in_failed_tries(&self, tries_left: u32) -> String;
        /// What a desk finds a card by: each `CardSearchBy` value and its name.
        fn card_search_kinds(&self) -> [(&'static str, &'static str); 4];
        /// The kind of a ledger entry by its transfer code, `-` for an unknown code.
        fn transfer(&self, code: &str) -> &'static str;
        /// A side's reported loss: temporary (followed by the local date it ends), or formal.
        fn side_loss(&self, side: shebao_domain::card::Side, temporary: bool) -> &'static str;
        /// The next step of a deposit-only card, before and after the bank's name (activate
        /// at a branch of it).
        fn next_deposit_only(&self) -> (&'static str, &'static str);
        /// The next step of a card ready for collection: the words before and after the
        /// pick-up point (data, not translated).
        fn next_ready(&self) -> (&'static str, &'static str);
        /// The notification that card `number` is ready for collection: the words before and
        /// after the pick-up point (data, not translated).
        fn notice_card_ready(&self, number: &str) -> (String, &'static str);
        /// The notification that a side of card `number` is reported lost (`loss`: the side's
        /// loss in words, with the end of a temporary one).
        fn notice_loss(&self, number: &str, loss: &str) -> String;
        /// The notification that a pension (`pension_credit`) or another benefit was paid:
        /// `amount` yuan on local `date` to card `number`'s bank account.
        fn notice_paid(&self, code: &str, amount: &str, date: &str, number: &str) -> String;
        /// The confirmation an employer ticks to pay `month`'s `total` yuan from its bank
        /// account.
        fn arrears_confirm(&self, month: &str, total: &str) -> String;
        /// What an employer's order to pay `month`'s `total` yuan did.
        fn arrears_ordered(&self, month: &str, total: &str) -> String;
        /// A month whose order waits for the money, ordered at local `time`.
        fn arrears_waiting(&self, time: &str) -> String;
        /// The name of an insurance by its code (`pension`, …), `-` for an unknown code.
        fn insurance(&self, code: &str) -> &'static str;
        /// A card's state ([`CardState`](crate::portal::i18n::CardState)).
        fn card_state(&self, state: crate::portal::i18n::CardState) -> &'static str;
    }
}

impl Lang {
    /// The catalogue of this language.
    pub(crate) fn words(self) -> &'static dyn Words {
        match self {
            Lang::Zh => &zh::Zh,
            Lang::En => &en::En,
        }
    }
}
