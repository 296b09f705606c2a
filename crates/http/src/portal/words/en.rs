//! The English catalogue.

use super::{Words, texts};
use crate::portal::i18n::CardState;
use shebao_domain::card::Side;
use shebao_domain::money::ledger::TransferCode;

pub(crate) struct En;

impl Words for En {
    texts! {
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
        ;
        columns {
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

    fn next_deposit_only(&self, bank: &str) -> String {
        format!(
            "Your bank account is deposit-only (money in, nothing out): bring this card and your original ID card to any branch of {bank} to activate it and set a PIN."
        )
    }

    fn next_ready(&self, point: &str) -> String {
        format!("Your card is ready: collect it at {point} with your original ID card.")
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
            None => "-",
        }
    }

    fn card_search_kinds(&self) -> [(&'static str, &'static str); 3] {
        [
            ("card_number", "Card number"),
            ("citizen_id", "ID number"),
            ("bank_card_number", "Bank card number"),
        ]
    }

    fn sign_in_failed_tries(&self, tries_left: u32) -> String {
        format!(
            "The username or password is wrong. {tries_left} more wrong tries and sign-ins from here pause for a while."
        )
    }
}
