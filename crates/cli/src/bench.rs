//! `shebao bench declaration`: times the import of an N-row declaration file on a fresh
//! store, the workload employers send every month. Setup (persons and enrolments) is written
//! in bulk straight through the store; the timed part is the real import use case.

use std::sync::Arc;
use std::time::Instant;

use serde_json::{Value, json};
use shebao_app::auth::NewUser;
use shebao_app::insurance::{ContributionParametersBody, NewContributionParameters, NewEmployer};
use shebao_app::reference::{NewParameters, NewRegion};
use shebao_app::views::ParametersBody;
use shebao_app::{Actor, App, LookupRate, SystemClock, Vault};
use shebao_domain::identity::{CitizenId, check_character};
use shebao_domain::ids::{EmployerId, PersonId, RegionCode};
use shebao_domain::insurance::{ContributionParameters, Month};
use shebao_domain::region::RegionParameters;
use shebao_domain::time::Date;
use shebao_store::{EnrolmentRecord, PersonRecord, Store};

use crate::config::ProgressBar;

const SETUP_BATCH: usize = 5_000;

/// The i-th generated ID number: distinct birth dates and sequences, valid check character.
pub(crate) fn citizen_id(i: usize) -> Option<String> {
    let day = i64::try_from(i / 900).ok()?;
    let birth = Date::new(1965, 1, 1)?.add_days(day);
    let sequence = i % 900 + 100;
    let first17 = format!(
        "330106{:04}{:02}{:02}{sequence:03}",
        birth.year(),
        birth.month(),
        birth.day()
    );
    Some(format!("{first17}{}", check_character(&first17)?))
}

/// A well-spread pseudo-random index below `len` for the n-th operation of a client
/// (SplitMix64), so the workloads' clients spread over the holders without a generator each.
pub(crate) fn pick(client: usize, n: usize, len: usize) -> usize {
    let mut z = (((client as u64) << 40) ^ n as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    usize::try_from(z % len.max(1) as u64).unwrap_or_default()
}

/// Employee enrolments of `persons` through `employer` in `region` from `start`, written in
/// bulk straight through the store ([`SETUP_BATCH`] per transaction) as the set-up of the
/// insurance workloads; `tag` keeps each workload's enrolment ids apart.
pub(crate) fn enrol_in_bulk(
    app: &App,
    persons: &[PersonId],
    (employer, region): (&EmployerId, &str),
    start: Month,
    tag: &str,
) -> Result<(), String> {
    for chunk in persons.chunks(SETUP_BATCH) {
        let (chunk, employer, now) = (chunk.to_vec(), employer.clone(), app.now());
        let (region, tag) = (RegionCode::new(region), tag.to_owned());
        app.store()
            .write(move |tx| {
                for person in &chunk {
                    tx.insert_enrolment(&EnrolmentRecord {
                        id: format!("enr_bench_{tag}_{person}"),
                        person_id: person.clone(),
                        employer_id: Some(employer.clone()),
                        region: region.clone(),
                        kind: "employee".into(),
                        start,
                        end: None,
                        created_at: now,
                        version: 0,
                    })?;
                }
                Ok::<_, shebao_store::StoreError>(())
            })
            .map_err(|error| format!("enrolling holders: {error:?}"))?;
    }
    Ok(())
}

pub(crate) fn fail(error: impl std::fmt::Display) -> String {
    error.to_string()
}

/// An application error as the benchmark's operator needs it: with the internal cause, which
/// answers to clients leave out (the benchmark runs on the server itself).
pub(crate) fn app_fail(error: shebao_app::AppError) -> String {
    match &error {
        shebao_app::AppError::Internal(cause) | shebao_app::AppError::Unavailable(cause) => {
            format!("{error}: {cause}")
        }
        _ => error.to_string(),
    }
}

/// A fresh application on `store` with a region (330100), its card and contribution
/// parameters, and a clerk; returns the application, its administrator and the clerk.
pub(crate) fn bench_app(store: Store) -> Result<(App, Actor, Actor), String> {
    let vault = Vault::parse(&Vault::generate_file()).map_err(fail)?;
    // The benchmark's staff collect and activate thousands of cards in bulk, each a check
    // of a typed ID number; a person at a counter gets the service's limit (issue 13).
    let app = App::new(store, vault, Arc::new(SystemClock)).with_lookup_rate(LookupRate {
        lookups_max: 100_000,
        window_seconds: 60,
    });
    let (admin, _) = app.init_administrator("bench-admin").map_err(fail)?;
    let admin = app.actor_for_username(&admin.username).map_err(fail)?;
    app.create_region(
        &admin,
        "bench-region-1",
        NewRegion {
            code: "330100".into(),
            name: "Hangzhou".into(),
        },
    )
    .map_err(fail)?;
    // The bench's tellers open every card with one deposit and its clerk credits every
    // holder: a region where these go through without a second person (issue 13), as the
    // largest limits allow, so that the bench measures posting, not approval requests.
    let card_params = ParametersBody::from_domain(&RegionParameters {
        manual_credit_approval_above_fen: 100_000_000_000,
        manual_credit_daily_max_fen: 100_000_000_000,
        ..RegionParameters::common()
    });
    app.add_parameters(
        &admin,
        "bench-params-1",
        "330100",
        NewParameters {
            effective_from: "2000-01-01".into(),
            parameters: card_params,
        },
    )
    .map_err(fail)?;
    let contribution =
        ContributionParametersBody::from_domain(&ContributionParameters::example(), 0);
    app.add_contribution_parameters(
        &admin,
        "bench-params-2",
        "330100",
        NewContributionParameters {
            effective_from: "2000-01-01".into(),
            parameters: contribution,
        },
    )
    .map_err(fail)?;
    let clerk = staff_user(
        &app,
        &admin,
        "bench-user-1",
        staff("bureau_clerk", "bench-clerk", None, None),
    )?;
    Ok((app, admin, clerk))
}

/// A staff login with a generated password, bound to a bank or a branch if given.
pub(crate) fn staff(role: &str, name: &str, bank: Option<&str>, branch: Option<&str>) -> NewUser {
    NewUser {
        username: name.into(),
        password: shebao_app::auth::generate_password(),
        role: role.into(),
        branch_id: branch.map(Into::into),
        bank_id: bank.map(Into::into),
        person_id: None,
        employer_id: None,
        institution_id: None,
    }
}

/// Creates the login and returns its actor.
pub(crate) fn staff_user(
    app: &App,
    admin: &Actor,
    key: &str,
    user: NewUser,
) -> Result<Actor, String> {
    let username = user.username.clone();
    app.create_user(admin, key, user).map_err(fail)?;
    app.actor_for_username(&username).map_err(fail)
}

/// The benchmark's generated holders: the i-th has the ID number [`citizen_id`]`(i)` and the
/// person id [`Holders::id`]`(i)`. A count, not a list: at 1,000,000 holders a list of ids
/// would be about 56 MiB of the benchmark's own memory in the process whose resident size is
/// reported as the server's.
#[derive(Clone, Copy)]
pub(crate) struct Holders(usize);

impl Holders {
    pub(crate) fn len(self) -> usize {
        self.0
    }

    /// The i-th holder's person id.
    pub(crate) fn id(self, i: usize) -> PersonId {
        PersonId::new(format!("per_bench_{i:08}"))
    }

    /// The ids of the first `n` holders (at most all).
    pub(crate) fn first(self, n: usize) -> Vec<PersonId> {
        (0..n.min(self.0)).map(|i| self.id(i)).collect()
    }
}

/// Registers N generated holders in bulk straight through the store (the benchmark's data
/// set, not a timed workload), each insured through `employer` from the month given when one
/// is.
pub(crate) fn register_holders(
    app: &App,
    n: usize,
    employer: Option<(&EmployerId, Month)>,
) -> Result<Holders, String> {
    let holders = Holders(n);
    let mut bar = ProgressBar::new("persons");
    let today = shebao_domain::identity::citizen_id_today(app.now());
    for start in (0..n).step_by(SETUP_BATCH) {
        let mut persons = Vec::with_capacity(SETUP_BATCH);
        for i in start..(start + SETUP_BATCH).min(n) {
            let number = citizen_id(i).ok_or("cannot generate an ID number")?;
            let citizen = CitizenId::parse(&number, today).map_err(fail)?;
            persons.push(PersonRecord {
                id: holders.id(i),
                citizen_index: app.vault().blind_index("citizen_id", citizen.as_str()),
                citizen_cipher: app
                    .vault()
                    .seal("person.citizen_id", citizen.as_str())
                    .map_err(fail)?,
                name_cipher: app.vault().seal("person.name", "测试").map_err(fail)?,
                phone_cipher: None,
                gender: citizen.gender(),
                birth_date: citizen.birth_date(),
                nationality: "CHN".into(),
                household_region: RegionCode::new("330106"),
                household_kind: shebao_domain::person::HouseholdKind::Urban,
                registered_at: app.now(),
                version: 0,
            });
        }
        let (employer, now) = (employer.map(|(e, m)| (e.clone(), m)), app.now());
        app.store()
            .write(move |tx| {
                for person in &persons {
                    tx.insert_person(person)?;
                    if let Some((employer, month)) = &employer {
                        tx.insert_enrolment(&EnrolmentRecord {
                            id: format!("enr_{}", person.id),
                            person_id: person.id.clone(),
                            employer_id: Some(employer.clone()),
                            region: RegionCode::new("330100"),
                            kind: "employee".into(),
                            start: Month::new(2020, 1).unwrap_or(*month),
                            end: None,
                            created_at: now,
                            version: 0,
                        })?;
                    }
                }
                Ok::<_, shebao_store::StoreError>(())
            })
            .map_err(fail)?;
        bar.show((start + SETUP_BATCH).min(n), n);
    }
    bar.finish();
    Ok(holders)
}

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
