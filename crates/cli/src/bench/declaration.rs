//! `shebao bench declaration`: times the import of an N-row declaration file on a fresh
//! store, the workload employers send every month. Setup (persons and enrolments) is written
//! in bulk straight through the store; the timed part is the real import use case.

use std::time::Instant;

use serde_json::{Value, json};
use shebao_app::insurance::NewEmployer;
use shebao_domain::ids::EmployerId;
use shebao_domain::insurance::Month;
use shebao_domain::reference::region::RegionParameters;
use shebao_store::Store;

use super::common::fail;
use super::setup::{bench_app, citizen_id, register_holders};
use crate::config::ProgressBar;

/// Builds N insured employees of one employer, then imports their declaration for a month.
pub fn declaration(store: Store, rows: usize) -> Result<Value, String> {
    let (app, _, clerk) = bench_app(store)?;
    let employer = NewEmployer {
        credit_code: "91350100M000100Y43".into(),
        name: "Bench Co".into(),
        region: "330100".into(),
        risk_class: 1,
        rate_tier_percent: 100,
    };
    let employer = EmployerId::new(
        app.register_employer(&clerk, "bench-employer-1", employer)
            .map_err(fail)?
            .id,
    );

    let setup = Instant::now();
    // The bench region's day: its parameters are `RegionParameters::common()`.
    let today = app
        .now()
        .local_date(RegionParameters::common().utc_offset());
    let month = Month::of(today).add_months(-1);
    let mut csv = String::with_capacity(rows * 40);
    csv.push_str("citizen_id,month,wage\n");
    for i in 0..rows {
        let number = citizen_id(i).ok_or("cannot generate an ID number")?;
        csv.push_str(&format!(
            "{number},{month},{}.{:02}\n",
            3_000 + i % 27_000,
            i % 100
        ));
    }
    register_holders(&app, rows, Some((&employer, month)))?;
    let setup_seconds = setup.elapsed().as_secs_f64();

    let started = Instant::now();
    let mut bar = ProgressBar::new("contributions");
    let first = app
        .import_declaration_file(
            &clerk,
            employer.as_str(),
            csv.as_bytes(),
            &mut |done, total| bar.show(done, total),
        )
        .map_err(fail)?;
    bar.finish();
    let import_seconds = started.elapsed().as_secs_f64();
    let again = Instant::now();
    let repeated = app
        .import_declaration_file(&clerk, employer.as_str(), csv.as_bytes(), &mut |_, _| {})
        .map_err(fail)?;
    let repeat_seconds = again.elapsed().as_secs_f64();
    Ok(json!({
        "workload": "declaration_import",
        "store": app.store().kind(),
        "rows": rows,
        "file_bytes": csv.len(),
        "rows_accepted": first.rows_accepted,
        "contributions_written": first.rows_accepted * 5,
        "import_seconds": import_seconds,
        "rows_per_second": f64::from(u32::try_from(rows).unwrap_or(u32::MAX)) / import_seconds,
        "repeat_import_seconds": repeat_seconds,
        "repeat_changed_nothing": repeated.repeated,
        "setup_seconds": setup_seconds,
    }))
}
