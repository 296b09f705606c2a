//! The English catalogue.

use super::{Words, en_audit, texts};
use crate::portal::i18n::CardState;
use shebao_domain::card::Side;
use shebao_domain::money::ledger::TransferCode;

pub(crate) struct En;

impl Words for En {
    texts! {
        detail_list_separator: ", ",
        yes: "yes",
        no: "no",
        card_done_replacement: "Replacement applied for; the old card no longer works. New card: ",
        card_action_production: "Start production",
        card_action_ready: "Ready at a distribution point",
        card_action_collect: "Hand over the card",
        card_action_loss: "Report a loss",
        card_action_cancel_loss: "Withdraw a loss report",
        card_action_replacement: "Replace the card",
        card_action_cancel: "Cancel the card",
        card_done_production: "Production has started.",
        card_done_ready: "The card is at the distribution point; the holder can collect it.",
        card_done_collect: "The card is handed over and its social security side works; the bank account is deposit-only until activated at the card's bank.",
        card_done_loss: "The loss is reported.",
        card_done_cancel_loss: "The loss report is withdrawn.",
        card_done_cancel: "The card is cancelled.",
        cancel_loss_side: "Side",
        cancel_reason: "Reason for cancelling",
        collect_hint: "Type the number from the original ID card; the holder sets a six-digit social PIN on the PIN pad.",
        social_pin_six_digits: "Social PIN (six digits)",
        loss_side: "Side",
        loss_kind: "Kind of report",
        replacement_warning: "The old card stops working at once and for good; the new card keeps the same bank account.",
        cancel_warning: "A card whose account still holds money cannot be cancelled.",
        household_region_code: "Household region (six-digit code)",
        phone_optional: "Phone (optional)",
        register: "Register",
        back_to_window: "Back to the window",
        correct_marked_field: "Not done: correct the field marked below.",
        citizen_id_not_echoed: "For privacy the ID number is not shown again: type it again from the original ID card.",
        citizen_id_from_original: "Type it from the original ID card.",
        nationality_code: "Nationality (three-letter code)",
        registered: "Registered.",
        bill_needs_a_line: "Fill in at least one bill line.",
        identify_one_way: "Identify the patient one way only: the card (card number and identification code), the electronic card's code, or the ID number with a reason.",
        settled_done: "Settled.",
        pre_settled_done: "The pre-settlement below moved no money.",
        settlement_undone_done: "The settlement is undone.",
        settled_bills: "Settled bills",
        undone_bills: "Undone bills",
        total_yuan: "Total (yuan)",
        pooled_fund_yuan: "Pooled fund (yuan)",
        personal_accounts_yuan: "Personal accounts (yuan)",
        cash_yuan: "Cash (yuan)",
        no_settlements_that_day: "No settlements that day.",
        days_settlements: "The day's settlements",
        day_reconciliation: "Day reconciliation",
        reconciliation_date: "Date (the institution's local day)",
        back_to_cashier_desk: "Back to the desk",
        visit_outpatient: "Outpatient",
        visit_inpatient: "Inpatient",
        visit_pharmacy: "Pharmacy",
        settlement_preview: "pre-settlement (nothing moved)",
        bill: "Bill",
        split_part: "Part",
        split_yuan: "Yuan",
        insured_retired: "retired",
        insured_working: "working",
        balance_needs_card: "not shown without the card",
        insured_region: "Insured in",
        insured_status: "Status",
        personal_account_balance: "Personal account balance (yuan)",
        insured_person: "Insured person",
        cashier_desk: "Medical settlement desk",
        find_insured: "Find the insured person",
        holder_nav_contributions: "Contributions and totals",
        holder_nav_accounts: "Personal accounts and bank statement",
        holder_nav_settlements: "Medical settlements",
        holder_nav_certificate: "Download the contribution certificate",
        holder_nav: "My social insurance",
        holder_only: "This page is for cardholders.",
        my_contributions: "My contributions",
        pension_paid_total: "Pension insurance paid in total (yuan)",
        medical_paid_total: "Medical insurance paid in total (yuan)",
        contribution_time: "Contribution time",
        years_unit: "years",
        months_unit: "months",
        register_person: "Register a person",
        kind_temporary_card: "temporary card",
        kind_standard_card: "standard card",
        loss_temporary: "temporarily reported lost",
        loss_formal: "formally reported lost",
        loss_none: "not reported lost",
        gender_male: "male",
        gender_female: "female",
        household_urban: "urban",
        household_rural: "rural",
        handle_at_window: "Handle at the window",
        unmasked_notice: "Shown in clear for the reason given, on this page only; the view is recorded in the audit trail.",
        person_name: "Name",
        gender: "Gender",
        birth_date: "Date of birth",
        nationality: "Nationality",
        household_region: "Household region",
        household_kind: "Household kind",
        phone: "Phone",
        registered_at: "Registered",
        show_in_clear: "Show in clear",
        unmask_reason: "Reason",
        unmask_reason_hint: "The reason is recorded in the audit trail; the clear view is shown once.",
        person_cards: "Cards",
        no_card_yet: "No card yet.",
        no_bank_or_region: "No service bank or region is set up yet, so no card can be applied for.",
        apply_for_card: "Apply for a card",
        service_bank_choice: "Service bank (the holder's choice)",
        apply_region: "Region",
        issue_temporary_card: "Issue a temporary card",
        temporary_card_about: "Issued on the spot: social security side only, usable only in its region.",
        issue_region: "Region",
        social_pin_on_pad: "Social PIN (the holder enters six digits on the PIN pad)",
        open_new_card: "Open the new card",
        loss_until: "until",
        account_and_balance: "Account and balance",
        card_kind: "Kind",
        none_temporary_card: "none (temporary card)",
        service_bank: "Service bank",
        region: "Region",
        distribution_point: "Distribution point",
        applied_at: "Applied",
        collected_at: "Collected",
        valid_until: "Valid until",
        replaces: "Replaces",
        replaced_by: "Replaced by",
        card_done_with: "Nothing more can be done with this card.",
        what_can_be_done: "What can be done",
        not_your_desk: "This page is not for your role.",
        unlock_pin: "Unlock a PIN",
        unlock_explain: "Unlock only with the holder present and their original ID card checked.",
        unlock_financial_pin: "Unlock the financial (bank) PIN",
        unlock_social_pin: "Unlock the social security PIN",
        unlock_choose_pin: "Choose which PIN to unlock.",
        financial_pin_unlocked: "The financial PIN is unlocked.",
        social_pin_unlocked: "The social security PIN is unlocked.",
        cash_withdrawal: "Cash withdrawal",
        back_to_card: "Back to the card",
        help_financial_lost: "Your card's financial side is reported lost: nothing can be paid or withdrawn until the report ends.",
        help_not_activated: "Your card's bank account is not activated yet: money can come in, nothing can go out.",
        help_activated: "Your card's bank account is already active; no visit to the bank is needed.",
        help_no_financial: "This card has no financial function.",
        help_pin_locked: "Your social security PIN is locked: bring your ID card to a window to unlock it.",
        help_pin_not_locked: "Your social security PIN is not locked.",
        help_your_card: "Your card",
        help_activation_question: "Does my social security card need to be activated at the bank?",
        help_activation_answer: "The social security side works once you collect the card. The bank side must be activated in person at any branch of the card's bank with the card and your original ID card, where you set a PIN; until then money can come in but nothing can go out.",
        help_lost_question: "What if I lose my card?",
        help_lost_answer: "Report a temporary loss online or by calling 12333; it lapses by itself. A formal loss in writing at a window lets you apply for a replacement: the old card stops working for ever and your money stays safe.",
        help_pins_question: "How many PINs are there?",
        help_pins_answer: "Two: the social security PIN (locks after repeated wrong entries; unlocked at a window) and the financial PIN (set at the bank on activation; locks after three wrong entries in a day; unlocked at the card bank's counter).",
        help_uses_question: "What can the card do?",
        help_uses_answer: "Look up your pension, medical, unemployment, work-injury and maternity contributions; settle medical bills at hospitals and pharmacies on the spot; receive your pension and benefits; after activation, use it as a bank card.",
        help_title: "Help",
        title: "Social Security Card Services",
        sign_in: "Sign in",
        sign_out: "Sign out",
        username: "Username or ID number",
        password: "Password",
        sign_in_throttled: "Too many sign-in attempts from your network address; try again in a minute.",
        switch: "中文",
        home: "Home",
        my_cards: "My social security cards",
        card_number: "Card number",
        bank_card: "Bank card number",
        status: "Status",
        social_side: "Social security side",
        financial_side: "Financial (bank) side",
        balance: "Balance (yuan)",
        next_step: "Next step",
        no_card: "You have no card yet. Apply at a social security bureau window.",
        report_loss: "Report a temporary loss",
        desk_teller: "Bank counter",
        desk_clerk: "Bureau window",
        find_card: "Find a card",
        find: "Find",
        activate: "Activate the financial side",
        citizen_id: "ID number (from the original ID card)",
        pin_pad: "The holder enters a six-digit PIN on the PIN pad",
        activated: "The financial side is active.",
        deposit: "Cash deposit",
        amount_yuan: "Amount (yuan)",
        deposited: "Deposited.",
        awaiting_approval: "Above your limit: sent for approval. It is credited when another teller approves it.",
        find_person: "Find a person by ID number",
        person: "Person",
        not_found: "Not found.",
        api_desk: "Your desk works through the API:",
        refused: "Not done: ",
        nul_refused: "The input holds a character that is not allowed (NUL).",
        too_large: "What was sent is too large.",
        csrf: "The form has expired; reload the page and try again.",
        change_pin: "Change the social security PIN",
        which_card: "Card",
        current_pin: "Current PIN",
        new_pin: "New PIN (six digits)",
        pin_rule: "Not a default such as 123456, not all the same or a run of digits, not your birth date or the last six characters of your ID number.",
        pin_changed: "The PIN is changed.",
        no_card_with_pin: "You have no collected card with a social security PIN yet.",
        no_records_match: "No records match.",
        trail_caption: "Audit records, newest first",
        records_shown: "shown",
        no_employees: "No insured employees yet.",
        employees_caption: "Employees (ID numbers masked)",
        nothing_owed: "Nothing is owed.",
        arrears_caption: "Declared and not paid",
        no_settlements: "No settlements yet",
        settlements_title: "Medical settlements",
        settlements_caption: "How each bill was paid",
        undone: "undone",
        settled: "settled",
        no_entries: "No entries yet",
        balance_lower: "balance (yuan)",
        no_contributions: "No contributions yet",
        totals_caption: "Totals per insurance",
        months_caption: "Month by month",
        paid: "paid",
        owed: "owed",
        settle_a_bill: "Settle a bill",
        bill_number: "Bill number",
        visit: "Visit",
        bill_lines_caption: "Bill lines (empty rows are ignored)",
        item_code: "Item code",
        quantity: "Quantity",
        unit_price: "Unit price (yuan)",
        use_account: "Let the personal account pay",
        social_pin_if_asked: "Social security PIN (where the region asks for it)",
        pre_settle: "Pre-settle",
        settle: "Settle",
        card_applied: "Application recorded. Card number: ",
        temporary_issued: "Temporary card issued (its region only, no financial side). Card number: ",
        identify_patient: "Identify the patient: read the card, or the electronic card; without either, the ID number and why (query and pre-settlement only, audited)",
        patient_card_number: "Card number",
        identification_code: "Card identification code",
        ecard_code: "Electronic card code",
        citizen_id_without_card: "ID number (without the card)",
        why_without_card: "Why without the card",
        page_not_found: "There is no such page",
        go_home: "Go to the home page",
        loss_state: "Loss reported",
        list_separator: "; ",
        cancel_loss: "Cancel the temporary loss (card found)",
        confirm_loss_title: "Confirm the temporary loss",
        confirm_loss_text: "After a temporary loss report, both sides of this card stop working at once until the report lapses by itself; if you find the card, cancel the report on your home page. If the card is gone for good, report a formal loss at a bureau window or a branch of the card's bank and apply for a replacement; your money stays safe.",
        confirm_loss: "Report it lost",
        keep_card: "Do not report it; back to the home page",
        loss_reported_done: "Reported lost: the card is suspended.",
        loss_cancelled_done: "The temporary loss is cancelled: the card works again.",
        next_active: "Both sides of your card work.",
        next_temporary_card: "The social security side works; a temporary card has no financial function.",
        next_temporary_loss: "Your card is reported lost for now; the report lapses by itself. If you find the card, cancel the report here; if it is gone for good, report a formal loss at a bureau window and apply for a replacement.",
        next_formal_loss: "Your card is formally reported lost. Apply for a replacement at a bureau window; if you find it before that, the window can cancel the report.",
        next_ask: "For questions, visit a bureau window or call 12333.",
        financial_deposit_only: "deposit-only (not yet activated)",
        financial_active: "active",
        financial_closed: "closed",
        financial_none: "none",
        find_by: "Find by",
        number: "Number",
        no_card_found: "No card matches: check the number.",
        holder: "Holder",
        session_expired: "Your session has expired: sign in again. You will return to the page you were on, with what you typed (except passwords).",
        no_login_title: "No login yet?",
        no_login_text: "If you have collected your card, open a login yourself with your ID number, the card number, the chip's identification code and your social security PIN, or at a bureau window with your original ID card.",
        enrol_link: "Open a login with your card",
        forgot_title: "Forgot your password",
        forgot_text: "Bring your original ID card to any bureau window: the clerk checks it and gives you a one-time password on the spot; change it after signing in.",
        enrolled: "Your login is open: sign in with it.",
        enrol_explain: "If you have collected your card, open your login here: type your ID number, the card number on its face, the chip's identification code and your social security PIN. A wrong PIN counts toward the PIN's lock.",
        citizen_id_plain: "ID number",
        new_username: "Username to sign in with",
        username_rule: "3 to 64 letters, digits or . _ -",
        new_password: "Password",
        password_rule: "At least 12 characters; not your ID number or birthday.",
        enrol_submit: "Open my login",
        back_to_sign_in: "Back to sign-in",
        original_id_checked: "I checked the holder's original ID card",
        holder_login: "The holder's online login",
        open_login: "Open a login",
        reset_password: "Reset the password",
        reset_about: "When the holder forgot the password: a new one-time password; the old password and any signed-in sessions stop working at once.",
        login_issued: "Done. Give the holder the one-time password below; they change it after signing in. It is shown this once only.",
        one_time_password: "One-time password:",
        declaration_file: "Or upload a declaration file (XLSX or CSV)",
        upload: "Upload and declare",
        no_file: "Choose a file to upload.",
        declaration_format: "The file: UTF-8 text (CSV, separated by commas) or an XLSX workbook; a header line citizen_id,month,wage; month as YYYY-MM, wage the month's wage in yuan with at most two decimals.",
        audit_title: "Audit",
        audit_filters: "Filters (empty means any)",
        audit_actor_contains: "Actor contains",
        audit_action_label: "Action",
        any_action: "Any action",
        audit_subject_contains: "Subject contains",
        date_from: "From (date)",
        date_to: "To (date, inclusive)",
        show: "Show",
        who_unmasked: "Who unmasked what",
        all_records: "All records",
        export_csv: "Export these records (CSV)",
        verify_title: "Verify the audit chains",
        verify_explain: "Checks every record's hash, every link and that nothing is missing or cut off.",
        verify: "Verify",
        next_page: "Next page (older records)",
        outcome_ok: "done",
        outcome_denied: "denied (not the actor's to see or do)",
        outcome_refused: "refused: ",
        bad_date: "A date is written YYYY-MM-DD.",
        chains_intact: "Every chain is intact. Records: ",
        chains_broken: "A chain is broken! Records: ",
        export_cut: "The export stops here at its limit: narrow the filters or export by date.",
        amount_missing: "Give an amount, such as 100 or 100.50.",
        amount_not_number: "An amount is a number, such as 100 or 100.50.",
        amount_not_positive: "An amount is more than zero.",
        amount_decimals: "An amount has at most two decimals (fen).",
        amount_too_large: "The amount is too large.",
        confirm_first: "This cannot be undone: tick the confirmation first.",
        confirm_irreversible: "I told the holder what follows and confirm",
        outside_catalogue: "These item codes are not in the catalogue and count as self-paid; check them before you settle:",
        more_rows: "Five more lines",
        certificate_check_title: "Verify a contribution certificate",
        verify_lead: "Enter the code printed on the certificate, or scan its QR code, to see what we certified; upload the PDF to check that it is the one we issued.",
        verify_issued: "We issued this certificate. It certifies the following.",
        verify_unknown: "No certificate with this code was issued: it may be forged, or the code mistyped.",
        verify_code: "Verification code",
        verify_issued_at: "Issued at",
        verify_holder: "Insured person",
        verify_months: "Pension months paid",
        verify_pension_total: "Pension insurance paid in total (yuan)",
        verify_medical_total: "Medical insurance paid in total (yuan)",
        verify_upload: "Upload the certificate's PDF to check it",
        verify_check: "Check",
        verify_matches: "The PDF uploaded is exactly the one we issued.",
        verify_differs: "The PDF uploaded is not the one issued: it was changed, or it belongs to another code.",
        certificate_title: "Contribution certificate",
        certificate_lead: "A PDF in Chinese and English with the bureau's seal, a verification code and a QR code: a new employer or landlord scans it to check it, without signing in.",
        certificate_issue: "Issue and download the certificate",
        no_certificates: "You have not issued a certificate yet.",
        certificates_caption: "Certificates issued (latest 20)",
        download_pdf: "Download the PDF",
        my_accounts: "My accounts",
        account_pension: "Personal pension account",
        account_medical: "Personal medical account",
        account_bank: "The card's bank account",
        all_entries: "All entries, filtered by date and exported",
        statement_filters: "Filter the entries by date",
        back_to_accounts: "Back to my accounts",
        card_history: "Card history",
        notifications: "Notifications",
        confirm_undo: "I checked the bill number: undoing returns what the fund, the personal account and the cash paid",
        undo_confirm_first: "Tick the confirmation before undoing a settlement.",
        print_receipt: "Print the receipt",
        receipt_deposit: "Deposit receipt",
        receipt_withdrawal: "Withdrawal receipt",
        receipt_settlement: "Medical settlement receipt",
        receipt_undo: "Settlement undone: receipt",
        chart_contributions: "Contributions paid in the last 24 months (yuan)",
        chart_contributions_desc: "One bar a month: the solid lower part is what you paid, the hatched upper part what the employer paid; the table below has the numbers.",
        part_individual: "Paid by you",
        part_employer: "Paid by the employer",
        chart_balance: "Balance over time (yuan)",
        chart_balance_desc: "The balance after each entry of this page, oldest on the left; the table below has the numbers.",
        undo_title: "Undo a settlement",
        bill_number_label: "Bill number",
        undo_reason_label: "Reason for the undo (4 to 200 characters)",
        undo_reason: "Reason for the undo",
        reconcile_today: "Today's reconciliation",
        catalogue_title: "Find an item in the catalogue",
        catalogue_label: "Part of an item's code or name",
        catalogue_find: "Find",
        catalogue_none: "No item in the catalogue matches (an item outside it is self-paid).",
        catalogue_caption: "Matching catalogue items (the versions in force)",
        class_a: "Class A",
        class_b: "Class B",
        class_self_paid: "Self-paid",
        no_limit: "none",
        namesakes_caption: "People of this name: check the ID card, then choose",
        number_or_name: "Number or name",
        employer_title: "Insured unit",
        employer_credit_code: "Unified social credit code",
        employer_employees_title: "Insured employees",
        arrears_title: "Unpaid months",
        employer_declare_title: "Wage declaration",
        employer_declare_explain: "Paste CSV text: a header line citizen_id,month,wage (month as YYYY-MM, wage in yuan).",
        employer_csv_label: "Declaration (CSV)",
        employer_declare_submit: "Declare",
        employer_importing: "Importing, please wait…",
        employer_declare_api: "XLSX or CSV files can be sent as they are to the API",
        employer_declared_with_rejects: "The declaration was processed, but some rows were rejected: download them, correct them and send them again.",
        employer_declared_ok: "The declaration was processed.",
        employer_declared_before: "This exact file was declared before; nothing changed.",
        employer_rows_total: "Rows",
        employer_rows_accepted: "Accepted",
        employer_rows_unchanged: "Unchanged",
        employer_rows_rejected: "Rejected",
        employer_download_rejects: "Download the rejected rows (CSV)",
        arrears_pay: "Pay",
        arrears_confirm_first: "Tick the confirmation before paying.",
        no_person_of_name: "Nobody of this name holds a card: check the name, as on the ID card.",
        refused_title: "Not done",
        ;
        columns {
            namesakes_columns: ["Name", "ID number", "Born", "Cards"],
            catalogue_columns: ["Code", "Name", "Class", "Class B first share", "Price limit (yuan)"],
            receipt_columns: ["Card number", "Amount (yuan)", "Balance (yuan)", "Time", "Transaction", "Served by"],
            settlement_receipt_columns: ["Bill", "Status", "Time", "Served by"],
            certificate_columns: ["Code", "Issued at", "Certifies", "Download", "Verify"],
            audit_csv_columns: ["time", "actor", "action code", "action", "subject", "outcome", "detail"],
            audit_columns: [
                "Time",
                "Actor",
                "Action",
                "Subject",
                "Outcome",
                "Detail",
            ],
            reconciliation_columns: [
                "Bill",
                "Visit",
                "Status",
                "Total (yuan)",
                "Fund (yuan)",
                "Account (yuan)",
                "Cash (yuan)",
                "Settled at",
            ],
            employee_columns: [
                "Name",
                "ID number",
                "From",
                "Until",
            ],
            arrears_columns: [
                "Month",
                "Rows",
                "Employer (yuan)",
                "Individual (yuan)",
                "Payment",
            ],
            contribution_total_columns: [
                "Insurance",
                "Months paid",
                "Paid (yuan)",
                "Owed (yuan)",
            ],
            contribution_month_columns: [
                "Month",
                "Insurance",
                "Base",
                "Employer",
                "Individual",
                "Status",
                "Insured unit",
            ],
            statement_columns: [
                "Time",
                "What",
                "Amount (yuan)",
                "Balance (yuan)",
            ],
            settlement_columns: [
                "Time",
                "Institution and bill",
                "Total",
                "Fund",
                "Account",
                "Cash",
                "Status",
            ],
            error_file_columns: ["line", "citizen_id", "code", "message"],
            split_parts: [
                "Total",
                "Self-paid",
                "Over the limit price",
                "Class B first share",
                "In scope",
                "Deductible",
                "Pooled fund",
                "Supplementary fund",
                "Personal account",
                "Cash",
            ],
        }
    }

    fn audit_detail_value(&self, code: &str) -> Option<&'static str> {
        en_audit::detail_value(code)
    }

    fn role(&self, code: &str) -> Option<&'static str> {
        en_audit::role(code)
    }

    fn region_in(&self, code: &str, name: &str) -> String {
        format!("{code} (in {name})")
    }

    fn in_yuan(&self, name: &str) -> String {
        format!("{name} (yuan)")
    }

    fn audit_detail_field(&self, name: &str) -> Option<&'static str> {
        en_audit::detail_field(name)
    }

    fn withdrawn(&self, amount: &str, balance: &str) -> String {
        format!("Paid out (yuan): {amount}; balance (yuan): {balance}")
    }

    fn bill_line_incomplete(&self, row: usize) -> String {
        format!(
            "Line {row}: give the item code, a whole quantity above 0 and a unit price in yuan (at most two decimals)."
        )
    }

    fn year_used(&self, year: i32) -> [String; 3] {
        [
            format!("{year} deductible used (yuan)"),
            format!("{year} pooled fund used (yuan)"),
            format!("{year} supplementary fund used (yuan)"),
        ]
    }

    fn insurance(&self, code: &str) -> &'static str {
        match code {
            "pension" => "Pension",
            "medical" => "Medical",
            "unemployment" => "Unemployment",
            "work_injury" => "Work injury",
            "maternity" => "Maternity",
            _ => "-",
        }
    }

    fn card_state(&self, state: CardState) -> &'static str {
        match state {
            CardState::InUse => "in use",
            CardState::BothSidesLost => "both sides reported lost",
            CardState::SocialSideLost => "social security side reported lost",
            CardState::FinancialSideLost => "financial side reported lost",
            CardState::Expired => "expired",
            CardState::Replaced => "replaced; this card no longer works",
            CardState::Cancelled => "cancelled",
            CardState::Returned => "temporary card returned",
            CardState::Applied => "applied for; waiting for production",
            CardState::InProduction => "being made",
            CardState::ReadyForCollection => "ready for collection",
            CardState::NotInUse => "not in use",
        }
    }

    fn side_loss(&self, side: Side, temporary: bool) -> &'static str {
        match (side, temporary) {
            (Side::Social, true) => "social security side reported lost until",
            (Side::Financial, true) => "financial side reported lost until",
            (Side::Social, false) => "social security side formally reported lost",
            (Side::Financial, false) => "financial side formally reported lost",
        }
    }

    fn next_deposit_only(&self) -> (&'static str, &'static str) {
        (
            "Your bank account is deposit-only (money in, nothing out): bring this card and your original ID card to any branch of ",
            " to activate it and set a PIN.",
        )
    }

    fn next_ready(&self) -> (&'static str, &'static str) {
        (
            "Your card is ready: collect it at ",
            " with your original ID card.",
        )
    }

    fn notice_card_ready(&self, number: &str) -> (String, &'static str) {
        (
            format!("Your card {number} is ready: collect it at "),
            " with your original ID card.",
        )
    }

    fn notice_loss(&self, number: &str, loss: &str) -> String {
        format!("Card {number} is reported lost: {loss}.")
    }

    fn notice_paid(&self, code: &str, amount: &str, date: &str, number: &str) -> String {
        let what = if code == "pension_credit" {
            "Your pension"
        } else {
            "A benefit"
        };
        format!(
            "{what} of {amount} yuan was paid on {date} into the bank account of card {number}."
        )
    }

    fn arrears_confirm(&self, month: &str, total: &str) -> String {
        format!("Draw the {total} yuan owed for {month} from the unit's bank account")
    }

    fn arrears_ordered(&self, month: &str, total: &str) -> String {
        format!(
            "The payment of {month} is ordered: {total} yuan will be drawn from the unit's bank account, and the month is paid once the money arrives."
        )
    }

    fn arrears_waiting(&self, time: &str) -> String {
        format!("Ordered at {time}, waiting for the money to arrive")
    }

    fn transfer(&self, code: &str) -> &'static str {
        match TransferCode::parse(code) {
            Some(TransferCode::CashDeposit) => "Cash deposit",
            Some(TransferCode::CashWithdrawal) => "Cash withdrawal",
            Some(TransferCode::Purchase) => "Purchase",
            Some(TransferCode::PensionCredit) => "Pension paid",
            Some(TransferCode::BenefitCredit) => "Benefit paid",
            Some(TransferCode::Transfer) => "Transfer",
            Some(TransferCode::Reversal) => "Reversal",
            Some(TransferCode::Contribution) => "Contribution credited",
            Some(TransferCode::Interest) => "Interest",
            Some(TransferCode::MedicalSettlement) => "Medical settlement",
            Some(TransferCode::Receivable) => "Benefit owed back",
            None => "-",
        }
    }

    fn card_search_kinds(&self) -> [(&'static str, &'static str); 4] {
        [
            ("card_number", "Card number"),
            ("citizen_id", "ID number"),
            ("bank_card_number", "Bank card number"),
            ("name", "Name"),
        ]
    }

    fn sign_in_failed_tries(&self, tries_left: u32) -> String {
        format!(
            "The username or password is wrong. {tries_left} more wrong tries and sign-ins from here pause for a while."
        )
    }

    fn audit_action(&self, code: &str) -> Option<&'static str> {
        en_audit::action(code)
    }
}
