//! The monthly contribution run: for every person insured in a region in a month who has no
//! contribution for that month yet, the bureau records the month's contributions from the
//! person's current base, as owed until the money arrives.
//!
//! - An employee's base is the wage of the latest month recorded for them through the same
//!   employer before the run's month (declared, or carried by an earlier run): the base
//!   carries forward month to month until the employer declares a new wage. It is clamped to
//!   the band of the month's parameters, and work injury is charged at the employer's class
//!   and tier, exactly as a declaration would (the same code, `insurance::Posting`).
//!   Employees with no wage recorded yet are skipped and counted.
//! - A flexible worker owes the month's flexible pension contribution on the local average
//!   wage (`insurance::flexible_record`); paying it at the window settles that row.
//!
//! The run reads the region's enrolments in person order, a chunk at a time (keyset paging,
//! each person's latest pension month found by one index seek in the same statement),
//! computes the chunk in memory and writes it in one transaction, reporting progress after
//! each. Reading the next chunk overlaps writing the last one. The write is a plain insert
//! of the months found unrecorded (`Tx::insert_new_contributions`, the fast one); should an
//! employer's declaration have recorded one of them meanwhile, the chunk is written again
//! skipping what is there (`ON CONFLICT DO NOTHING`). So running a month again posts nothing
//! new. The run ends with one run record and one audit record with its counts
//! (`App::change`, so the client's idempotency key replays the answer without running
//! again); the log gets one line with where the time went (reading, computing, writing).

use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use shebao_domain::access::{Operation, Role};
use shebao_domain::ids::RegionCode;
use shebao_domain::insurance::{ContributionParameters, Month};
use shebao_domain::time::Timestamp;
use shebao_store::{ContributionRecord, ContributionRunRecord, RunCandidate, StoreError};

use crate::error::RefusalCode;
use crate::insurance::{
    Posting, contribution_parameters, employee_contributions, flexible_record, injury_rate,
    parse_month,
};
use crate::reference::known_region;
use crate::reference::region_code;
use crate::{Actor, App, AppError, Audit, idempotency, new_id};

/// Persons read, computed and written together: one read, one write transaction (up to five
/// contribution rows each), then progress.
pub const RUN_CHUNK: usize = 10_000;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContributionRunRequest {
    pub region: String,
    /// YYYY-MM, not after the current month.
    pub month: String,
}

/// The outcome of a run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContributionRunView {
    pub id: String,
    pub region: String,
    pub month: String,
    /// Persons insured in the region in that month.
    pub persons: i64,
    /// Persons whose month this run recorded.
    pub posted: i64,
    /// Contribution rows written (five per employee, one per flexible worker).
    pub rows_written: i64,
    /// Persons whose month was recorded before (declared, paid at the window, an earlier run).
    pub already_recorded: i64,
    /// Employees with no declared wage to carry forward: nothing recorded for them.
    pub skipped_no_base: i64,
}

/// What every chunk of one run is computed from.
struct Plan {
    id: String,
    region: RegionCode,
    month: Month,
    params: ContributionParameters,
    at: Timestamp,
}

/// One chunk, computed: its rows and counts, and where the next one starts.
#[derive(Default)]
struct Chunk {
    records: Vec<ContributionRecord>,
    persons: usize,
    posted: i64,
    already: i64,
    skipped: i64,
    last: Option<String>,
    read_time: Duration,
    compute_time: Duration,
}

#[derive(Default)]
struct Totals {
    persons: usize,
    posted: i64,
    rows: u64,
    already: i64,
    skipped: i64,
    /// Where the time went: reading and computing run beside writing, on their own thread.
    read_time: Duration,
    compute_time: Duration,
    write_time: Duration,
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The contributions of one chunk of insured persons.
fn compute(plan: &Plan, candidates: &[RunCandidate]) -> Result<Chunk, AppError> {
    let mut chunk = Chunk {
        records: Vec::with_capacity(candidates.len() * 5),
        persons: candidates.len(),
        last: candidates.last().map(|c| c.person_id.to_string()),
        ..Chunk::default()
    };
    // Employers' rates by (class, tier): a handful of distinct values.
    let mut rates: Vec<((i64, i64), u32)> = Vec::new();
    for candidate in candidates {
        if matches!(candidate.latest, Some((month, _)) if month == plan.month) {
            chunk.already += 1;
            continue;
        }
        let posting = Posting {
            month: plan.month,
            region: &candidate.region,
            employer: candidate.employer_id.as_ref(),
            status: "owed",
            declaration_id: &plan.id,
            at: plan.at,
            paid_at: None,
        };
        match (
            candidate.kind.as_str(),
            &candidate.employer_id,
            candidate.latest,
        ) {
            ("flexible", None, _) => {
                chunk.records.push(flexible_record(
                    &candidate.person_id,
                    &plan.params,
                    &posting,
                ));
            }
            ("employee", Some(_), Some((_, wage_fen))) => {
                let class = (
                    candidate.risk_class.unwrap_or(0),
                    candidate.rate_tier_percent.unwrap_or(0),
                );
                let rate = match rates.iter().find(|(known, _)| *known == class) {
                    Some((_, rate)) => *rate,
                    None => {
                        let rate = injury_rate(class.0, class.1)?;
                        rates.push((class, rate));
                        rate
                    }
                };
                employee_contributions(
                    &candidate.person_id,
                    wage_fen,
                    &plan.params,
                    rate,
                    &posting,
                    &mut chunk.records,
                );
            }
            _ => {
                chunk.skipped += 1;
                continue;
            }
        }
        chunk.posted += 1;
    }
    Ok(chunk)
}

impl App {
    /// Records a month's contributions for everyone insured in a region who has none for
    /// it yet, from their current base; `progress(done, total)` is called with persons after
    /// each chunk. A bureau clerk's task.
    pub fn run_contributions(
        &self,
        actor: &Actor,
        key: &str,
        request: ContributionRunRequest,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ContributionRunView, AppError> {
        self.authorise(actor, Operation::Declare)?;
        if actor.role != Role::BureauClerk {
            // Employers declare their own staff; a region's run is the bureau's.
            return Err(self.deny(
                actor,
                Operation::Declare,
                &format!("region:{}", request.region),
            ));
        }
        let region = region_code(&request.region, "region")?;
        let month = parse_month(&request.month, "month")?;
        if month > Month::of(self.today_of(&region)?) {
            return Err(AppError::Rule {
                code: RefusalCode::MonthInFuture,
                message: "a month cannot be run before it starts".into(),
            });
        }
        let scoped = idempotency::scoped_key(actor, key)?;
        let (known, answered) = (region.clone(), scoped.clone());
        let (params, replay) = self.store.read(move |tx| {
            known_region(tx, &known)?;
            let params = contribution_parameters(tx, &known, month)?;
            Ok::<_, AppError>((params, tx.idempotent_response(&answered)?.is_some()))
        })?;
        let params = params.ok_or_else(|| AppError::Rule {
            code: RefusalCode::NoParameters,
            message: format!("the region has no contribution parameters for {month}"),
        })?;
        // A key answered before replays its answer; nothing runs again.
        let run = if replay {
            None
        } else {
            let plan = Plan {
                id: new_id("run"),
                region: region.clone(),
                month,
                params: params.to_domain(),
                at: self.now(),
            };
            Some(self.execute(actor, plan, progress)?)
        };
        let audit = Audit::on("insurance.contribution_run", format!("region:{region}"));
        self.change(actor, key, &request, audit, move |tx, _| {
            let Some(run) = &run else {
                return Err(AppError::Internal(
                    "a contribution run's answer was not found again".into(),
                ));
            };
            tx.insert_contribution_run(run)?;
            let view = view(run);
            let detail = serde_json::json!({
                "run": view.id, "month": view.month, "persons": view.persons,
                "posted": view.posted, "rows": view.rows_written,
                "already_recorded": view.already_recorded, "skipped_no_base": view.skipped_no_base,
            });
            Ok((view, detail.to_string()))
        })
    }

    /// Runs `plan` and returns the run's record.
    fn execute(
        &self,
        actor: &Actor,
        plan: Plan,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<ContributionRunRecord, AppError> {
        let started = Instant::now();
        let totals = self.post_chunks(&plan, progress)?;
        tracing::info!(
            target: "shebao::contribution_run",
            region = %plan.region,
            month = %plan.month,
            persons = totals.persons,
            rows = totals.rows,
            seconds = started.elapsed().as_secs_f64(),
            read_seconds = totals.read_time.as_secs_f64(),
            compute_seconds = totals.compute_time.as_secs_f64(),
            write_seconds = totals.write_time.as_secs_f64(),
            "contribution run written"
        );
        Ok(ContributionRunRecord {
            id: plan.id,
            region: plan.region.clone(),
            month: plan.month,
            persons: count(totals.persons),
            posted: totals.posted,
            rows_written: i64::try_from(totals.rows).unwrap_or(i64::MAX),
            already_recorded: totals.already,
            skipped_no_base: totals.skipped,
            actor: actor.label(),
            started_at: plan.at,
            finished_at: self.now(),
        })
    }

    /// Reads and computes the run's chunks in order, sending each (or the error that ends
    /// them) to the writer; stops when the writer has gone.
    fn read_chunks(&self, plan: &Plan, sender: &mpsc::SyncSender<Result<Chunk, AppError>>) {
        let mut after = String::new();
        loop {
            let (region, month, from) = (plan.region.clone(), plan.month, after.clone());
            let started = Instant::now();
            let read = self
                .store
                .read(move |tx| tx.run_candidates(&region, month, &from, RUN_CHUNK));
            let read_time = started.elapsed();
            let chunk = read
                .map_err(AppError::from)
                .and_then(|candidates| compute(plan, &candidates))
                .map(|chunk| Chunk {
                    read_time,
                    compute_time: started.elapsed() - read_time,
                    ..chunk
                });
            let next = match &chunk {
                Ok(chunk) if chunk.persons == RUN_CHUNK => chunk.last.clone(),
                _ => None,
            };
            if sender.send(chunk).is_err() {
                return;
            }
            match next {
                Some(last) => after = last,
                None => return,
            }
        }
    }

    /// Reads, computes and writes the run chunk by chunk. A second thread reads and computes
    /// the next chunk while this one writes the last, so the database's reading and writing
    /// overlap.
    fn post_chunks(
        &self,
        plan: &Plan,
        progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Totals, AppError> {
        self.store.write(|tx| tx.refresh_enrolment_statistics())?;
        let (region, month) = (plan.region.clone(), plan.month);
        let total = self
            .store
            .read(move |tx| tx.insured_count(&region, month))?;
        let total = usize::try_from(total).unwrap_or(0);
        progress(0, total);
        std::thread::scope(|scope| {
            let (sender, chunks) = mpsc::sync_channel::<Result<Chunk, AppError>>(1);
            scope.spawn(move || self.read_chunks(plan, &sender));
            let mut totals = Totals::default();
            for chunk in chunks {
                let chunk = chunk?;
                let started = Instant::now();
                let persons = chunk.persons;
                totals.rows += self.write_chunk(chunk.records)?;
                let write_time = started.elapsed();
                tracing::debug!(
                    target: "shebao::contribution_run",
                    persons,
                    read_ms = chunk.read_time.as_millis(),
                    compute_ms = chunk.compute_time.as_millis(),
                    write_ms = write_time.as_millis(),
                    "chunk written"
                );
                totals.read_time += chunk.read_time;
                totals.compute_time += chunk.compute_time;
                totals.write_time += write_time;
                totals.persons += chunk.persons;
                totals.posted += chunk.posted;
                totals.already += chunk.already;
                totals.skipped += chunk.skipped;
                progress(totals.persons.min(total), total.max(totals.persons));
            }
            Ok(totals)
        })
    }
}

impl App {
    /// Writes a chunk's contributions in one transaction. They were found unrecorded, so a
    /// plain insert (the fast one) serves; should someone have recorded one of those months
    /// since — an employer's declaration arriving during the run — the chunk is written
    /// again skipping what is there.
    fn write_chunk(&self, records: Vec<ContributionRecord>) -> Result<u64, AppError> {
        let records = std::sync::Arc::new(records);
        let fresh = records.clone();
        match self
            .store
            .write(move |tx| tx.insert_new_contributions(&fresh))
        {
            Err(StoreError::Conflict { .. }) => Ok(self
                .store
                .write(move |tx| tx.insert_contributions(&records))?),
            written => Ok(written?),
        }
    }
}

fn view(run: &ContributionRunRecord) -> ContributionRunView {
    ContributionRunView {
        id: run.id.clone(),
        region: run.region.to_string(),
        month: run.month.to_string(),
        persons: run.persons,
        posted: run.posted,
        rows_written: run.rows_written,
        already_recorded: run.already_recorded,
        skipped_no_base: run.skipped_no_base,
    }
}
