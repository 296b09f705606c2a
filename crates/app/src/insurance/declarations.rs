//! Monthly declarations: an employer declares each employee's wage for a month, as CSV or
//! as JSON rows. Each good row becomes the five insurances' contributions for that person
//! and month (owed until paid); bad rows come back as an error file; good rows are kept.
//! Re-importing the same file, or the same (person, insurance, month), changes nothing.

use crate::money::parse_yuan;
use std::collections::{HashMap, HashSet};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use shebao_domain::access::Operation;
use shebao_domain::ids::{EmployerId, PersonId};
use shebao_domain::insurance::{Insurance, Month};
use shebao_domain::person::identity::{CitizenId, mask_citizen_input};
use shebao_domain::time::Timestamp;
use shebao_store::{ContributionRecord, DeclarationRecord, EmployerRecord, EnrolmentRecord};

use crate::error::OrNotFound;
use crate::insurance::{
    ContributionParametersBody, Posting, contribution_parameters, employee_contributions,
    employer_in_scope, injury_rate,
};
use crate::person::CITIZEN_INDEX;
use crate::{Actor, App, AppError, Audit, new_id};

/// Most rows in one declaration file.
pub const DECLARATION_ROWS_MAX: usize = 200_000;
/// Most bytes in one declaration file: the HTTP body limit, and what `shebao import` reads.
pub const DECLARATION_FILE_BYTES_MAX: usize = 16 * 1024 * 1024;
/// Declaration files read at once by the whole process. Reading one within its bounds may
/// take a few hundred MiB (a 96 MiB workbook unpacked, 32 MiB of cell text and the cells laid
/// out), so many at once from one login or many must not add up: one more is answered `503
/// busy` with `Retry-After` before it is read (issue 13, review of finding 1).
pub const FILES_READ_MAX: usize = 2;
/// Most cells (fields) a declaration file is laid out into, empty ones between filled ones
/// included: 200,000 rows of six columns. Each costs a `String` even when empty, so a file
/// of commas, or a workbook naming a far column on every row, is refused rather than grown.
const CELLS_MAX: usize = 1_200_000;
/// Most bytes of cell text kept from a workbook (the cells of a CSV file are bounded by its
/// own bytes).
const CELL_TEXT_BYTES_MAX: usize = 32 * 1024 * 1024;
/// Rows written per transaction; progress is reported after each.
const ROWS_PER_WRITE: usize = 2_000;

/// One row as sent in JSON.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclarationRow {
    pub citizen_id: String,
    pub month: String,
    pub wage_fen: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclarationRows {
    #[schemars(length(max = DECLARATION_ROWS_MAX))]
    pub rows: Vec<DeclarationRow>,
}

/// The outcome of an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "Declaration")]
pub struct DeclarationView {
    pub id: String,
    pub employer_id: String,
    pub rows_total: i64,
    pub rows_accepted: i64,
    pub rows_unchanged: i64,
    pub rows_rejected: i64,
    /// Where the error file (CSV) can be downloaded, when rows were rejected.
    pub errors_url: Option<String>,
    /// True when this exact file was imported before: nothing changed.
    pub repeated: bool,
}

/// A row before checks: its line in the file and its fields.
struct RawRow {
    line: usize,
    citizen_id: String,
    month: String,
    wage: Wage,
}

enum Wage {
    Fen(i64),
    Yuan(String),
}

impl Wage {
    /// The wage in fen, if a yuan amount reads as one.
    fn fen(&self) -> Option<i64> {
        match self {
            Wage::Fen(fen) => Some(*fen),
            Wage::Yuan(text) => parse_yuan(text),
        }
    }
}

struct Rejected {
    line: usize,
    citizen_id: String,
    code: &'static str,
    message: String,
}

/// Parses one CSV record list (RFC 4180: quotes, doubled quotes, CRLF), at most `max` rows.
pub fn parse_csv(text: &str, max: usize) -> Result<Vec<Vec<String>>, AppError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Vec::new();
    let (mut record, mut field, mut quoted, mut chars) =
        (Vec::new(), String::new(), false, text.chars().peekable());
    let mut fields = 0_usize;
    while let Some(c) = chars.next() {
        if matches!((quoted, c), (false, ',' | '\n')) {
            fields += 1;
            if fields > CELLS_MAX {
                return Err(too_many_cells());
            }
        }
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
                if records.len() > max {
                    return Err(AppError::invalid("file", format!("at most {max} rows")));
                }
            }
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return Err(AppError::invalid("file", "a quoted field is not closed"));
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records.retain(|r| !(r.len() == 1 && r[0].trim().is_empty()));
    Ok(records)
}

fn too_many_cells() -> AppError {
    AppError::TooComplex {
        field: "file",
        message: format!("a declaration file holds at most {CELLS_MAX} cells"),
    }
}

/// Columns read from a workbook; a declaration needs three, a few more are tolerated.
const XLSX_COLUMNS_MAX: usize = 64;

/// The first worksheet of an XLSX workbook as text records (numbers as Excel shows them, so
/// a wage of 3000.5 reads "3000.5"; ID numbers must be text cells).
///
/// The archive is checked within bounds first (`workbook::check`, issue 13, finding 1): until
/// then calamine does not see it. Cells are then read one at a time and their positions, the
/// cells laid out and the text kept bounded before anything is stored: a small hostile
/// workbook naming cell XFD1048576 would otherwise make a dense range of 17 billion cells.
/// The reader runs under `catch_unwind` because calamine can panic on a damaged cell
/// reference (an arithmetic overflow found by the property test below); a damaged upload is
/// refused like any other unreadable file.
fn xlsx_records(bytes: &[u8]) -> Result<Vec<Vec<String>>, AppError> {
    use calamine::{Reader, Xlsx};
    crate::workbook::check(bytes)?;
    let unreadable = crate::workbook::unreadable;
    let read = || {
        let mut workbook: Xlsx<_> =
            Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
        let first = workbook.sheet_names().into_iter().next();
        let first =
            first.ok_or_else(|| AppError::invalid("file", "the workbook has no worksheet"))?;
        let mut cells = workbook
            .worksheet_cells_reader(&first)
            .map_err(|e| unreadable(&e))?;
        let mut layout = Layout::default();
        while let Some(cell) = cells.next_cell().map_err(|e| unreadable(&e))? {
            let (row, column) = cell.get_position();
            layout.put(row as usize, column as usize, cell.get_value())?;
        }
        Ok(layout.records)
    };
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read))
        .unwrap_or_else(|_| Err(unreadable(&"a damaged worksheet")))
}

/// A worksheet's cells laid out as records, within bounds.
#[derive(Default)]
struct Layout {
    records: Vec<Vec<String>>,
    cells: usize,
    text_bytes: usize,
}

impl Layout {
    fn put(
        &mut self,
        row: usize,
        column: usize,
        value: &calamine::DataRef<'_>,
    ) -> Result<(), AppError> {
        use calamine::{Data, DataRef};
        if row > DECLARATION_ROWS_MAX {
            return Err(AppError::invalid(
                "file",
                format!("at most {DECLARATION_ROWS_MAX} rows"),
            ));
        }
        if column >= XLSX_COLUMNS_MAX {
            return Err(AppError::invalid(
                "file",
                format!("at most {XLSX_COLUMNS_MAX} columns"),
            ));
        }
        // Measured before the text is copied: one long shared string named by every cell
        // would otherwise be copied once per cell.
        let length = match value {
            DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.len(),
            DataRef::SharedString(s) => s.len(),
            _ => 0,
        };
        if length > crate::workbook::TOKEN_BYTES_MAX {
            return Err(AppError::TooComplex {
                field: "file",
                message: format!(
                    "a cell holds at most {} bytes of text",
                    crate::workbook::TOKEN_BYTES_MAX
                ),
            });
        }
        self.text_bytes += length;
        if self.text_bytes > CELL_TEXT_BYTES_MAX {
            return Err(AppError::TooComplex {
                field: "file",
                message: format!(
                    "a workbook holds at most {} MiB of cell text",
                    CELL_TEXT_BYTES_MAX >> 20
                ),
            });
        }
        if self.records.len() <= row {
            self.records.resize_with(row + 1, Vec::new);
        }
        let record = &mut self.records[row];
        if record.len() <= column {
            self.cells += column + 1 - record.len();
            if self.cells > CELLS_MAX {
                return Err(too_many_cells());
            }
            record.resize_with(column + 1, String::new);
        }
        record[column] = Data::from(value.clone()).to_string();
        Ok(())
    }
}

/// Whether the bytes are a ZIP archive (an XLSX workbook) rather than CSV text.
fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

fn rows_from_file(bytes: &[u8]) -> Result<Vec<RawRow>, AppError> {
    let records = if is_zip(bytes) {
        xlsx_records(bytes)?
    } else {
        let text = std::str::from_utf8(bytes)
            .map_err(|_| AppError::invalid("file", "UTF-8 text or an XLSX workbook"))?;
        parse_csv(text, DECLARATION_ROWS_MAX + 1)?
    };
    let records: Vec<Vec<String>> = records
        .into_iter()
        .filter(|r| r.iter().any(|cell| !cell.trim().is_empty()))
        .collect();
    let Some((header, body)) = records.split_first() else {
        return Err(AppError::invalid(
            "file",
            "a header line citizen_id,month,wage",
        ));
    };
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let (Some(id), Some(month), Some(wage)) =
        (column("citizen_id"), column("month"), column("wage"))
    else {
        return Err(AppError::invalid(
            "file",
            "the header names citizen_id, month and wage (yuan)",
        ));
    };
    Ok(body
        .iter()
        .enumerate()
        .map(|(i, record)| {
            let get = |c: usize| {
                record
                    .get(c)
                    .map(|v| v.trim().to_owned())
                    .unwrap_or_default()
            };
            RawRow {
                line: i + 2,
                citizen_id: get(id),
                month: get(month),
                wage: Wage::Yuan(get(wage)),
            }
        })
        .collect())
}

/// A place among the [`FILES_READ_MAX`] files read at once, given back when dropped.
struct FileReading<'a>(&'a std::sync::atomic::AtomicUsize);

impl<'a> FileReading<'a> {
    fn admit(reading: &'a std::sync::atomic::AtomicUsize) -> Result<FileReading<'a>, AppError> {
        use std::sync::atomic::Ordering;
        reading
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |now| {
                (now < FILES_READ_MAX).then_some(now + 1)
            })
            .map(|_| FileReading(reading))
            .map_err(|_| AppError::Busy("declaration files being read".into()))
    }
}

impl Drop for FileReading<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
    }
}

/// What checking needs, loaded once per import.
struct Context {
    employer: EmployerRecord,
    enrolments: HashMap<PersonId, Vec<EnrolmentRecord>>,
    persons: HashMap<String, PersonId>,
    parameters: HashMap<Month, Option<ContributionParametersBody>>,
}

/// The error file: every field quoted, and neutralised where a spreadsheet would read it as
/// a formula (issue 13, finding 11: a row's ID number `=1+1*+2+3` came back raw, and an
/// embedded comma added a column).
fn errors_csv(rejected: &[Rejected]) -> String {
    let mut out = crate::csv::line(&["line", "citizen_id", "code", "message"]);
    for row in rejected {
        let line = row.line.to_string();
        out.push_str(&crate::csv::line(&[
            &line,
            &row.citizen_id,
            row.code,
            &row.message,
        ]));
    }
    out
}

/// A stored error file with its ID numbers masked as today: files written before issue 13
/// (finding 3) kept the first 4 and last 4 characters, and the old mask kept the length, so
/// masking the masked value again gives today's form of the original. Files written since
/// (every field quoted, finding 11) carry today's mask already and are returned as stored.
fn remask_errors(file: &str) -> String {
    if file.starts_with('"') {
        return file.to_owned();
    }
    let mut out = String::with_capacity(file.len());
    for (n, line) in file.split_inclusive('\n').enumerate() {
        let fields = line
            .split_once(',')
            .and_then(|(number, rest)| rest.split_once(',').map(|(id, tail)| (number, id, tail)));
        match fields {
            Some((number, id, tail)) if n > 0 => {
                out.push_str(&format!("{number},{},{tail}", mask_citizen_input(id)));
            }
            _ => out.push_str(line),
        }
    }
    out
}

impl App {
    /// Imports a declaration file, CSV or XLSX (`citizen_id,month,wage` with wage in yuan).
    pub fn import_declaration_file(
        &self,
        actor: &Actor,
        employer: &str,
        file: &[u8],
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<DeclarationView, AppError> {
        self.authorise(actor, Operation::Declare)?;
        // Issue 13, finding 1: the scope is checked before the file is read, so a file from
        // outside the employer's own scope is never parsed.
        self.declaring_employer(actor, employer)?;
        if file.len() > DECLARATION_FILE_BYTES_MAX {
            return Err(AppError::TooComplex {
                field: "file",
                message: format!(
                    "a declaration file holds at most {} MiB",
                    DECLARATION_FILE_BYTES_MAX >> 20
                ),
            });
        }
        let rows = {
            let _reading = FileReading::admit(&self.files_in_reading)?;
            rows_from_file(file)?
        };
        self.import_rows(
            actor,
            employer,
            hex::encode(Sha256::digest(file)),
            rows,
            progress,
        )
    }

    /// Declares rows sent as JSON; the same checks and outcome as a file.
    pub fn declare_rows(
        &self,
        actor: &Actor,
        employer: &str,
        request: DeclarationRows,
    ) -> Result<DeclarationView, AppError> {
        self.authorise(actor, Operation::Declare)?;
        if request.rows.len() > DECLARATION_ROWS_MAX {
            return Err(AppError::invalid(
                "rows",
                format!("at most {DECLARATION_ROWS_MAX} rows"),
            ));
        }
        let body = serde_json::to_vec(&request).map_err(AppError::failed("encoding JSON"))?;
        let rows = request
            .rows
            .into_iter()
            .enumerate()
            .map(|(i, row)| RawRow {
                line: i + 1,
                citizen_id: row.citizen_id,
                month: row.month,
                wage: Wage::Fen(row.wage_fen),
            })
            .collect();
        self.import_rows(
            actor,
            employer,
            hex::encode(Sha256::digest(&body)),
            rows,
            &mut |_, _| {},
        )
    }

    /// The error file of a declaration, as CSV.
    pub fn declaration_errors(&self, actor: &Actor, declaration: &str) -> Result<String, AppError> {
        self.authorise(actor, Operation::Declare)?;
        let id = declaration.to_owned();
        let record = self
            .store
            .read(move |tx| tx.declaration(&id))?
            .ok_or_else(|| AppError::NotFound("declaration".into()))?;
        let visible = employer_in_scope(actor, &record.employer_id);
        self.visible_or_hidden(
            visible,
            actor,
            Operation::Declare,
            ("declaration", &declaration),
        )?;
        Ok(remask_errors(&record.errors))
    }

    /// The employer `actor` may declare for; anyone else's is refused (and audited).
    fn declaring_employer(&self, actor: &Actor, employer: &str) -> Result<EmployerId, AppError> {
        let employer = EmployerId::new(employer);
        if !employer_in_scope(actor, &employer) {
            return Err(self.deny(actor, Operation::Declare, &format!("employer:{employer}")));
        }
        Ok(employer)
    }

    fn import_rows(
        &self,
        actor: &Actor,
        employer: &str,
        digest: String,
        rows: Vec<RawRow>,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<DeclarationView, AppError> {
        let employer = self.declaring_employer(actor, employer)?;
        let (known, known_digest) = (employer.clone(), digest.clone());
        if let Some(done) = self
            .store
            .read(move |tx| tx.declaration_by_digest(&known, &known_digest))?
        {
            return Ok(view(&done, true));
        }
        let context = self.load_context(&employer, &rows)?;
        let now = self.now();
        let declaration_id = new_id("dec");
        // Checked and written a slice of rows at a time, so the import holds one slice's
        // contributions, not the whole file's (5 per row).
        let mut seen = HashSet::new();
        let (mut rejected, mut good_rows, mut inserted) = (Vec::new(), 0, 0_u64);
        progress(0, rows.len());
        for (done, slice) in rows.chunks(ROWS_PER_WRITE).enumerate() {
            let (records, refused, good) =
                self.check_rows(&context, &mut seen, slice, &declaration_id, now)?;
            rejected.extend(refused);
            good_rows += good;
            if !records.is_empty() {
                inserted += self
                    .store
                    .write(move |tx| tx.insert_contributions(&records))?;
            }
            progress(((done + 1) * ROWS_PER_WRITE).min(rows.len()), rows.len());
        }
        rejected.sort_by_key(|r| r.line);
        let accepted = i64::try_from(inserted).unwrap_or(i64::MAX)
            / i64::try_from(Insurance::ALL.len()).unwrap_or(1);
        let record = DeclarationRecord {
            id: declaration_id,
            employer_id: employer.clone(),
            digest: digest.clone(),
            rows_total: i64::try_from(rows.len()).unwrap_or(i64::MAX),
            rows_accepted: accepted,
            rows_unchanged: good_rows - accepted,
            rows_rejected: i64::try_from(rejected.len()).unwrap_or(i64::MAX),
            errors: errors_csv(&rejected),
            actor: actor.label(),
            created_at: now,
        };
        let key = format!(
            "declaration-{employer}-{}",
            digest.get(..40).unwrap_or(&digest)
        );
        let audit = Audit::on("insurance.declare", format!("employer:{employer}"));
        let summary = serde_json::json!({ "digest": digest, "rows": record.rows_total });
        self.change(actor, &key, &summary, audit, move |tx, _| {
            if let Some(done) = tx.declaration_by_digest(&record.employer_id, &record.digest)? {
                return Ok((view(&done, true), "{}".into()));
            }
            tx.insert_declaration(&record)?;
            let detail = serde_json::json!({
                "declaration": record.id, "accepted": record.rows_accepted,
                "unchanged": record.rows_unchanged, "rejected": record.rows_rejected
            });
            Ok((view(&record, false), detail.to_string()))
        })
    }

    fn load_context(&self, employer: &EmployerId, rows: &[RawRow]) -> Result<Context, AppError> {
        let today = shebao_domain::person::identity::citizen_id_today(self.now());
        let indexes: Vec<String> = rows
            .iter()
            .filter_map(|r| CitizenId::parse(&r.citizen_id, today).ok())
            .map(|id| self.vault.blind_index(CITIZEN_INDEX, id.as_str()))
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        let months: HashSet<Month> = rows.iter().filter_map(|r| Month::parse(&r.month)).collect();
        let employer = employer.clone();
        self.store.read(move |tx| {
            let record = tx
                .employer(&employer)?
                .or_not_found("employer", &employer)?;
            let persons: HashMap<String, PersonId> = tx
                .persons_by_citizen_indexes(&indexes)?
                .into_iter()
                .collect();
            // Only the file's employees' enrolments: memory follows the file, not the
            // employer's whole workforce.
            let employees: Vec<PersonId> = persons.values().cloned().collect();
            let mut enrolments: HashMap<PersonId, Vec<EnrolmentRecord>> = HashMap::new();
            let through_employer = tx
                .enrolments_of_persons(&employees)?
                .into_iter()
                .filter(|e| e.employer_id.as_ref() == Some(&employer));
            for enrolment in through_employer {
                enrolments
                    .entry(enrolment.person_id.clone())
                    .or_default()
                    .push(enrolment);
            }
            let mut parameters = HashMap::new();
            for month in &months {
                parameters.insert(*month, contribution_parameters(tx, &record.region, *month)?);
            }
            Ok(Context {
                employer: record,
                enrolments,
                persons,
                parameters,
            })
        })
    }

    /// One row's checks, in the order the error file reports them: the person, month and
    /// wage it declares with the month's parameters, or why it is rejected.
    fn check_row(
        &self,
        context: &Context,
        seen: &mut HashSet<(PersonId, Month)>,
        row: &RawRow,
        today: shebao_domain::time::Date,
        this_month: Month,
    ) -> Result<
        (
            PersonId,
            Month,
            i64,
            shebao_domain::insurance::ContributionParameters,
        ),
        Rejected,
    > {
        let reject = |code: &'static str, message: &str| Rejected {
            line: row.line,
            citizen_id: mask_citizen_input(row.citizen_id.trim()),
            code,
            message: message.to_owned(),
        };
        let citizen = match CitizenId::parse(&row.citizen_id, today) {
            Ok(id) => id,
            Err(error) => return Err(reject(error.code(), &error.to_string())),
        };
        let Some(month) = Month::parse(&row.month) else {
            return Err(reject("invalid_month", "the month is YYYY-MM"));
        };
        let wage_fen = row.wage.fen();
        let Some(wage_fen) = wage_fen.filter(|w| *w > 0 && *w <= 10_000_000_000) else {
            return Err(reject(
                "invalid_wage",
                "the wage is a positive amount in yuan with at most two decimals",
            ));
        };
        if month > this_month {
            return Err(reject(
                "month_in_future",
                "a month cannot be declared before it starts",
            ));
        }
        // Issue 13, finding 4: a person who is not registered and one who is registered
        // but not this employer's insured employee in that month get one and the same
        // answer (code, message, place in the order of checks), so an employer cannot
        // learn from a declaration who is registered or who works elsewhere.
        let index = self.vault.blind_index(CITIZEN_INDEX, citizen.as_str());
        let person = context.insured(&index, month);
        let Some(person) = person else {
            return Err(reject(
                "not_enrolled",
                "no person with this ID number is insured through this employer in that month",
            ));
        };
        if !seen.insert((person.clone(), month)) {
            return Err(reject(
                "duplicate_row",
                "the same person and month appear twice in this declaration",
            ));
        }
        let Some(Some(params)) = context.parameters.get(&month) else {
            return Err(reject(
                "no_parameters",
                "the region has no contribution parameters for that month",
            ));
        };
        Ok((person, month, wage_fen, params.to_domain()))
    }

    /// Checks `rows` (`seen` carries the (person, month) pairs of the file's earlier rows);
    /// returns the contributions of the good rows, the rejected rows and the number of good
    /// rows.
    fn check_rows(
        &self,
        context: &Context,
        seen: &mut HashSet<(PersonId, Month)>,
        rows: &[RawRow],
        declaration_id: &str,
        now: Timestamp,
    ) -> Result<(Vec<ContributionRecord>, Vec<Rejected>, i64), AppError> {
        let today = shebao_domain::person::identity::citizen_id_today(now);
        // Months are the employer's region's: a month starts at its midnight, not UTC's.
        let this_month = Month::of(self.today_of(&context.employer.region)?);
        let injury_rate = injury_rate(
            context.employer.risk_class,
            context.employer.rate_tier_percent,
        )?;
        let (mut records, mut rejected, mut good) = (Vec::new(), Vec::new(), 0);
        for row in rows {
            let (person, month, wage_fen, params) =
                match self.check_row(context, seen, row, today, this_month) {
                    Ok(checked) => checked,
                    Err(refused) => {
                        rejected.push(refused);
                        continue;
                    }
                };
            let posting = Posting {
                month,
                region: &context.employer.region,
                employer: Some(&context.employer.id),
                status: "owed",
                declaration_id,
                at: now,
                paid_at: None,
            };
            employee_contributions(
                &person,
                wage_fen,
                &params,
                injury_rate,
                &posting,
                &mut records,
            );
            good += 1;
        }
        Ok((records, rejected, good))
    }
}

fn view(record: &DeclarationRecord, repeated: bool) -> DeclarationView {
    DeclarationView {
        id: record.id.clone(),
        employer_id: record.employer_id.to_string(),
        rows_total: record.rows_total,
        rows_accepted: if repeated { 0 } else { record.rows_accepted },
        rows_unchanged: if repeated {
            record.rows_total - record.rows_rejected
        } else {
            record.rows_unchanged
        },
        rows_rejected: record.rows_rejected,
        errors_url: (record.rows_rejected > 0)
            .then(|| format!("/api/v1/declarations/{}/errors.csv", record.id)),
        repeated,
    }
}

impl Context {
    /// The person with this blind index, if insured through the employer in `month`.
    fn insured(&self, index: &str, month: Month) -> Option<PersonId> {
        self.persons
            .get(index)
            .filter(|person| {
                self.enrolments.get(*person).is_some_and(|list| {
                    list.iter()
                        .any(|e| e.start <= month && e.end.is_none_or(|end| end >= month))
                })
            })
            .cloned()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests;
