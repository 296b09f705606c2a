//! Daily reconciliation: a day's settlements of an institution with their totals, an
//! institution's reconciliation file checked against them, and the holder's settlements.

use shebao_domain::access::{Operation, Role};
use shebao_domain::ids::PersonId;
use shebao_domain::time::Date;

use super::diagnosis;
use super::{
    Difference, ReconciliationCheck, ReconciliationFile, ReconciliationView, SettlementView,
    settlement_view,
};
use crate::{Actor, App, AppError};

impl App {
    /// The names of designated institutions by id (public reference data), for pages that
    /// name where a bill was settled; an unknown id is left out.
    pub fn institution_names(
        &self,
        actor: &Actor,
        ids: Vec<String>,
    ) -> Result<std::collections::HashMap<String, String>, AppError> {
        self.authorise(actor, Operation::ReadReference)?;
        self.store.read(move |tx| {
            let mut names = std::collections::HashMap::new();
            for id in &ids {
                if let Some(record) = tx.institution(id)? {
                    names.insert(id.clone(), record.name);
                }
            }
            Ok(names)
        })
    }

    /// A day's settlements of an institution with their totals (settled ones only count).
    pub fn reconciliation(
        &self,
        actor: &Actor,
        institution: &str,
        date: &str,
    ) -> Result<ReconciliationView, AppError> {
        self.authorise(actor, Operation::Reconcile)?;
        let visible = actor.role != Role::Cashier
            || actor.scope.institution_id.as_deref() == Some(institution);
        self.visible_or_hidden(
            visible,
            actor,
            Operation::Reconcile,
            ("institution", &institution),
        )?;
        let day =
            Date::parse_iso(date).ok_or_else(|| AppError::invalid("date", "a date, YYYY-MM-DD"))?;
        let institution = institution.to_owned();
        let rows = self.store.read({
            let institution = institution.clone();
            move |tx| tx.settlements_of_day(&institution, day)
        })?;
        let mut view = ReconciliationView {
            institution_id: institution,
            date: day.to_string(),
            settled: 0,
            undone: 0,
            total_fen: 0,
            fund_fen: 0,
            account_fen: 0,
            cash_fen: 0,
            settlements: Vec::new(),
        };
        for row in &rows {
            if row.status == "settled" {
                view.settled += 1;
                view.total_fen += row.total_fen;
                view.fund_fen += row.fund_fen;
                view.account_fen += row.account_fen;
                view.cash_fen += row.cash_fen;
            } else {
                view.undone += 1;
            }
            let diagnosis = diagnosis::of_record(&self.vault, row, false)?;
            view.settlements.push(settlement_view(row, diagnosis));
        }
        Ok(view)
    }

    /// Checks an institution's reconciliation file against our records of the day.
    pub fn check_reconciliation(
        &self,
        actor: &Actor,
        institution: &str,
        file: ReconciliationFile,
    ) -> Result<ReconciliationCheck, AppError> {
        let ours = self.reconciliation(actor, institution, &file.date)?;
        let records = crate::insurance::declarations::parse_csv(&file.csv, 100_000)?;
        let rows = reconciliation_rows(&records)?;
        let mut differences = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for row in rows {
            let get = |i: usize| row.get(i).map(|v| v.trim().to_owned()).unwrap_or_default();
            let bill = get(0);
            seen.insert(bill.clone());
            let Some(mine) = ours.settlements.iter().find(|s| s.bill_number == bill) else {
                differences.push(Difference {
                    bill_number: bill,
                    field: "bill_number".into(),
                    ours: "missing".into(),
                    theirs: "present".into(),
                });
                continue;
            };
            let fields = [
                ("status", mine.status.clone()),
                ("total_fen", mine.total_fen.to_string()),
                ("fund_fen", mine.fund_fen.to_string()),
                ("account_fen", mine.account_fen.to_string()),
                ("cash_fen", mine.cash_fen.to_string()),
            ];
            for (i, (field, value)) in fields.into_iter().enumerate() {
                if get(i + 1) != value {
                    differences.push(Difference {
                        bill_number: bill.clone(),
                        field: field.into(),
                        ours: value,
                        theirs: get(i + 1),
                    });
                }
            }
        }
        for mine in ours
            .settlements
            .iter()
            .filter(|s| !seen.contains(&s.bill_number))
        {
            differences.push(Difference {
                bill_number: mine.bill_number.clone(),
                field: "bill_number".into(),
                ours: "present".into(),
                theirs: "missing".into(),
            });
        }
        Ok(ReconciliationCheck {
            date: ours.date,
            matches: differences.is_empty(),
            differences,
        })
    }

    /// The holder's settlements, newest first.
    pub fn person_settlements(
        &self,
        actor: &Actor,
        person: &str,
    ) -> Result<Vec<SettlementView>, AppError> {
        self.authorise(actor, Operation::ReadSettlements)?;
        let person = PersonId::new(person);
        // Clerks and the holder themselves; no one else, whatever their scope.
        let visible = actor.sees_person(&person, |_| Ok(false))?;
        self.visible_or_hidden(
            visible,
            actor,
            Operation::ReadSettlements,
            ("person", &person),
        )?;
        let rows = self
            .store
            .read(move |tx| tx.settlements_of_person(&person))?;
        // The diagnosis is the holder's own medical data: clear for them, masked for staff.
        let clear = actor.role == Role::Cardholder;
        rows.iter()
            .map(|row| {
                let diagnosis = diagnosis::of_record(&self.vault, row, clear)?;
                Ok(settlement_view(row, diagnosis))
            })
            .collect()
    }
}

/// The rows of an institution's reconciliation file, once its header is the expected one.
fn reconciliation_rows(records: &[Vec<String>]) -> Result<&[Vec<String>], AppError> {
    let Some((header, rows)) = records.split_first() else {
        return Err(AppError::invalid("csv", "a header line"));
    };
    let expected = [
        "bill_number",
        "status",
        "total_fen",
        "fund_fen",
        "account_fen",
        "cash_fen",
    ];
    if header.iter().map(|h| h.trim()).collect::<Vec<_>>() != expected {
        return Err(AppError::invalid("csv", expected.join(",")));
    }
    Ok(rows)
}
