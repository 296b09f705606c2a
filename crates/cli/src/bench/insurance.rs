//! `shebao bench run`'s insurance workloads (issue 7): the **monthly contribution run** (every
//! person insured in the region, five insurances recorded from the base carried forward) and
//! the **history query** (a holder's contribution months and totals as a clerk sees them).
//!
//! Set-up: the holders not yet insured in the benchmark's region (the medical workload insures
//! the card holders through its own employer) are enrolled in bulk through the store, as
//! `setup::register_holders` does, through employers of at most 200,000 employees registered
//! through the use case; each employer declares one month's wages through the real
//! declaration use case (files of 50,000 rows). Timed: the run of the next
//! month over the whole region. Then the run continues month by month (untimed) until every
//! holder has `months` months of contributions (at 1,000,000 holders and two months,
//! 10,000,000 rows), and the history query runs from `clients` threads, flat out and then
//! paced at 80% of that peak (its latency at that load is in the same row, `at_80pct_*`).

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use shebao_app::insurance::NewEmployer;
use shebao_app::insurance::contribution_run::{
    ContributionRunRequest, ContributionRunView, RUN_CHUNK,
};
use shebao_app::insurance::declarations::{DECLARATION_ROWS_MAX, DeclarationRow, DeclarationRows};
use shebao_app::{Actor, App};
use shebao_domain::ids::{EmployerId, PersonId, RegionCode};
use shebao_domain::insurance::Month;
use shebao_domain::person::identity::SocialCreditCode;

use super::common::{Options, fail, measure, measure_paced, peak_rss_mib, pick, quantile_ms};
use super::setup::{Holders, citizen_id, enrol_in_bulk};
use crate::config::ProgressBar;

const REGION: &str = "330100";
/// Months of contributions every holder ends with: the declared month, the timed run's month
/// and as many more runs as it takes. Two make ten rows per holder.
pub const MONTHS: usize = 2;
/// Rows per declaration file (an employer declares its employees in several).
const DECLARATION_FILE_ROWS: usize = 50_000;

/// A failure of `step`, with the cause in full (an internal error's message is otherwise
/// kept from the user).
fn failed<E: std::fmt::Debug>(step: &'static str) -> impl Fn(E) -> String {
    move |error| format!("insurance workloads, {step}: {error:?}")
}

/// A valid unified social credit code for the n-th benchmark employer.
fn credit_code(n: usize) -> Result<String, String> {
    let first17 = format!("91330100MA27RUN{:02}", n % 100);
    "0123456789ABCDEFGHJKLMNPQRTUWXY"
        .chars()
        .map(|check| format!("{first17}{check}"))
        .find(|code| SocialCreditCode::parse(code).is_ok())
        .ok_or_else(|| format!("no check character for {first17}"))
}

/// Employers of at most [`DECLARATION_ROWS_MAX`] employees for the holders `uninsured` (by
/// their index in the data set), each declaring `month`'s wages in files of
/// [`DECLARATION_FILE_ROWS`]; returns the rows declared.
fn insure(
    app: &App,
    clerk: &Actor,
    holders: Holders,
    uninsured: &[usize],
    month: Month,
) -> Result<i64, String> {
    let mut declared = 0;
    for (n, group) in uninsured.chunks(DECLARATION_ROWS_MAX).enumerate() {
        let employer = app
            .register_employer(
                clerk,
                &format!("bench-insurance-employer-{n}"),
                NewEmployer {
                    credit_code: credit_code(n)?,
                    name: format!("杭州基准缴费测试{n}有限公司"),
                    region: REGION.into(),
                    risk_class: 2,
                    rate_tier_percent: 100,
                },
            )
            .map_err(failed("registering an employer"))?;
        let employer = EmployerId::new(employer.id);
        let enrolled: Vec<PersonId> = group.iter().map(|i| holders.id(*i)).collect();
        enrol_in_bulk(app, &enrolled, (&employer, REGION), month, "insurance")?;
        // Several smaller files per employer keep the import's memory (every row's five
        // contributions are computed before they are written) well below the largest file's.
        for file in group.chunks(DECLARATION_FILE_ROWS) {
            let rows = file
                .iter()
                .map(|i| {
                    Ok(DeclarationRow {
                        citizen_id: citizen_id(*i).ok_or("cannot generate an ID number")?,
                        month: month.to_string(),
                        wage_fen: 300_000 + i64::try_from(*i % 2_700_000).unwrap_or(0),
                    })
                })
                .collect::<Result<Vec<_>, String>>()?;
            let view = app
                .declare_rows(clerk, employer.as_str(), DeclarationRows { rows })
                .map_err(failed("declaring wages"))?;
            if view.rows_rejected > 0 {
                return Err(format!(
                    "the insurance benchmark's declaration rejected {} rows",
                    view.rows_rejected
                ));
            }
            declared += view.rows_accepted;
        }
    }
    Ok(declared)
}

/// One contribution run, with the time each chunk took.
fn contribution_run(
    app: &App,
    clerk: &Actor,
    month: Month,
) -> Result<(ContributionRunView, Duration, Vec<Duration>), String> {
    let mut bar = ProgressBar::new("persons (contribution run)");
    let mut chunks = Vec::new();
    let started = Instant::now();
    let mut last = started;
    let outcome = app.run_contributions(
        clerk,
        &format!("bench-contribution-run-{month}"),
        ContributionRunRequest {
            region: REGION.into(),
            month: month.to_string(),
        },
        &mut |done, total| {
            if done > 0 {
                chunks.push(last.elapsed());
                last = Instant::now();
            }
            bar.show_until_done(done, total);
        },
    );
    let elapsed = started.elapsed();
    bar.finish();
    chunks.sort_unstable();
    Ok((
        outcome.map_err(failed("the contribution run"))?,
        elapsed,
        chunks,
    ))
}

/// Sets up the insured holders and their declared month, then measures the contribution run
/// and the history query beside the store's baseline (name, per second). `months` (at least
/// two) is how many months of contributions every holder has when the history is queried.
pub fn run(
    app: &App,
    clerk: &Actor,
    holders: Holders,
    options: &Options,
    baseline: (&str, f64),
    months: usize,
) -> Result<Vec<Value>, String> {
    let months = i32::try_from(months.max(2)).map_err(fail)?;
    // The bench region's month: its parameters are `RegionParameters::common()`.
    let this_month = Month::of(
        app.now()
            .local_date(shebao_domain::reference::region::RegionParameters::common().utc_offset()),
    );
    let declared_month = this_month.add_months(1 - months);

    let setup = Instant::now();
    let declared = insure_the_uninsured(app, clerk, holders, declared_month)?;
    let setup = (setup.elapsed().as_secs_f64(), declared);

    let timed = contribution_run(app, clerk, declared_month.add_months(1))?;
    let mut results = vec![run_row(app, options, timed, setup, baseline)];

    let more = Instant::now();
    let mut month = declared_month.add_months(2);
    while month <= this_month {
        contribution_run(app, clerk, month)?;
        month = month.add_months(1);
    }
    let more_runs_seconds = more.elapsed().as_secs_f64();
    results.push(history_query(
        app,
        clerk,
        holders,
        options,
        (months, more_runs_seconds),
        baseline,
    )?);
    Ok(results)
}

/// Insures, from `month`, the holders not yet insured in the region; returns the rows
/// declared.
fn insure_the_uninsured(
    app: &App,
    clerk: &Actor,
    holders: Holders,
    month: Month,
) -> Result<i64, String> {
    let region = RegionCode::new(REGION);
    let insured = app
        .store()
        .read(move |tx| tx.persons_enrolled_in_region(&region))
        .map_err(failed("finding the insured"))?;
    let insured: std::collections::HashSet<PersonId> = insured.into_iter().collect();
    let uninsured: Vec<usize> = (0..holders.len())
        .filter(|i| !insured.contains(&holders.id(*i)))
        .collect();
    insure(app, clerk, holders, &uninsured, month)
}

/// The timed contribution run's row; `setup` is the set-up's seconds and rows declared.
fn run_row(
    app: &App,
    options: &Options,
    (run, elapsed, chunks): (ContributionRunView, Duration, Vec<Duration>),
    (setup_seconds, declared): (f64, i64),
    (baseline_name, baseline_tps): (&str, f64),
) -> Value {
    let seconds = elapsed.as_secs_f64();
    let persons_per_s = run.persons as f64 / seconds.max(1e-9);
    json!({
        "workload": "contribution_run",
        "store": app.store().kind(),
        "holders": options.holders,
        "month": run.month,
        "persons": run.persons,
        "posted": run.posted,
        "rows_written": run.rows_written,
        "already_recorded": run.already_recorded,
        "skipped_no_base": run.skipped_no_base,
        "clients": 1,
        "seconds": seconds,
        "ops": run.persons,
        "ops_per_s": persons_per_s,
        "rows_per_s": run.rows_written as f64 / seconds.max(1e-9),
        "latency_of": format!("one chunk of {RUN_CHUNK} persons: read, compute, write, commit"),
        "p50_ms": quantile_ms(&chunks, 0.50),
        "p99_ms": quantile_ms(&chunks, 0.99),
        "max_ms": quantile_ms(&chunks, 1.0),
        "setup_seconds": setup_seconds,
        "setup_declared_rows": declared,
        "peak_rss_mib": peak_rss_mib(),
        "baseline": baseline_name,
        "baseline_ops_per_s": baseline_tps,
        "ratio": persons_per_s / baseline_tps.max(1e-9),
    })
}

/// A holder's contribution history as a clerk reads it, from `options.clients` threads flat
/// out and then paced at 80% of that peak; `months` is how many every holder has, and
/// `more_runs_seconds` how long the runs after the timed one took.
fn history_query(
    app: &App,
    clerk: &Actor,
    holders: Holders,
    options: &Options,
    (months, more_runs_seconds): (i32, f64),
    (baseline_name, baseline_tps): (&str, f64),
) -> Result<Value, String> {
    let contribution_rows = app
        .store()
        .read(|tx| tx.contribution_count())
        .map_err(failed("counting contributions"))?;
    let history = |app: App, clerk: Actor| {
        move |client: usize, n: usize| {
            let person = holders.id(pick(client, n, holders.len()));
            app.contribution_history(&clerk, person.as_str(), None)
                .map(|_| ())
        }
    };
    let measured = measure(
        options.clients,
        options.seconds,
        history(app.clone(), clerk.clone()),
    )?;
    let ops_per_s = measured.ops_per_s();
    // A latency target means little at saturation, where `clients` threads queue for two
    // cores: the same queries again at 80% of the peak just measured, paced.
    let paced = measure_paced(
        options.clients,
        options.seconds,
        ops_per_s * 0.8,
        history(app.clone(), clerk.clone()),
    )?;
    Ok(json!({
        "workload": "history_query",
        "store": app.store().kind(),
        "holders": options.holders,
        "contribution_rows": contribution_rows,
        "months": months,
        "clients": options.clients,
        "seconds": measured.elapsed.as_secs_f64(),
        "ops": measured.ops,
        "ops_per_s": ops_per_s,
        "p50_ms": measured.quantile_ms(0.50),
        "p99_ms": measured.quantile_ms(0.99),
        "max_ms": measured.quantile_ms(1.0),
        "at_80pct_ops_per_s": paced.ops_per_s(),
        "at_80pct_p50_ms": paced.quantile_ms(0.50),
        "at_80pct_p99_ms": paced.quantile_ms(0.99),
        "at_80pct_max_ms": paced.quantile_ms(1.0),
        "setup_more_runs_seconds": more_runs_seconds,
        "peak_rss_mib": peak_rss_mib(),
        "baseline": baseline_name,
        "baseline_ops_per_s": baseline_tps,
        "ratio": ops_per_s / baseline_tps.max(1e-9),
    }))
}
