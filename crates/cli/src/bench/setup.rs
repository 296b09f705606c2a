//! The benchmark's data set: a fresh application with its region, parameters, bank and staff;
//! the generated holders and their enrolments, written in bulk straight through the store;
//! and the card holders' activated cards, issued through the real use cases.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use shebao_app::access::auth::NewUser;
use shebao_app::card::{ActivateRequest, CardApplication, CollectRequest, ReadyRequest};
use shebao_app::insurance::{ContributionParametersBody, NewContributionParameters};
use shebao_app::money::CashRequest;
use shebao_app::reference::{NewBank, NewBranch, NewParameters, NewRegion};
use shebao_app::views::ParametersBody;
use shebao_app::{Actor, App, LookupRate, SystemClock, Vault};
use shebao_domain::ids::{EmployerId, PersonId, RegionCode};
use shebao_domain::insurance::{ContributionParameters, Month};
use shebao_domain::person::identity::{CitizenId, check_character};
use shebao_domain::reference::region::RegionParameters;
use shebao_domain::time::Date;
use shebao_store::{EnrolmentRecord, PersonRecord, Store};

use super::common::fail;
use crate::config::ProgressBar;

/// The financial PIN of every benchmark card.
pub(crate) const PIN: &str = "913752";
const OPENING_DEPOSIT_FEN: i64 = 10_000_000;

/// The bench region's limit of one person's manual credits a day: the largest a region may
/// set (1,000,000,000 yuan).
const MANUAL_CREDIT_DAILY_MAX_FEN: i64 = 100_000_000_000;

/// The opening deposits one teller makes within the daily limit: the bench has one teller
/// per this many cards.
const DEPOSITS_PER_TELLER: usize = (MANUAL_CREDIT_DAILY_MAX_FEN / OPENING_DEPOSIT_FEN) as usize;
pub(crate) const SETUP_BATCH: usize = 5_000;

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
        manual_credit_approval_above_fen: MANUAL_CREDIT_DAILY_MAX_FEN,
        manual_credit_daily_max_fen: MANUAL_CREDIT_DAILY_MAX_FEN,
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
        password: shebao_app::access::auth::generate_password(),
        role: role.into(),
        branch_id: branch.map(Into::into),
        bank_id: bank.map(Into::into),
        person_id: None,
        employer_id: None,
        institution_id: None,
        provider_id: None,
        vendor_id: None,
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
    let today = shebao_domain::person::identity::citizen_id_today(app.now());
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

/// The bench bank (icbc) and its branch, and the logins that act for it: tellers at the
/// branch, one per [`DEPOSITS_PER_TELLER`] of the `cards` (a teller's opening deposits a day
/// stay within the region's limit), and the bank's system. Returns (tellers, bank system).
pub(crate) fn bank_and_staff(
    app: &App,
    admin: &Actor,
    cards: usize,
) -> Result<(Vec<Actor>, Actor), String> {
    app.create_bank(
        admin,
        "bench-bank",
        NewBank {
            id: "icbc".into(),
            name: "ICBC".into(),
            bin: "621226".into(),
            numbers_from_bank: false,
        },
    )
    .map_err(fail)?;
    app.create_branch(
        admin,
        "bench-branch",
        "icbc",
        NewBranch {
            id: "icbc-1".into(),
            name: "ICBC Hangzhou".into(),
            region: "330100".into(),
        },
    )
    .map_err(fail)?;
    let tellers = (0..cards.div_ceil(DEPOSITS_PER_TELLER).max(1))
        .map(|t| {
            let name = if t == 0 {
                "bench-teller".to_owned()
            } else {
                format!("bench-teller-{t}")
            };
            staff_user(
                app,
                admin,
                &name,
                staff("bank_teller", &name, None, Some("icbc-1")),
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    let bank = staff_user(
        app,
        admin,
        "bench-bank-system",
        staff("bank_system", "bench-bank-system", Some("icbc"), None),
    )?;
    Ok((tellers, bank))
}

/// Gives the first holders an activated card with money on it, through the real use cases
/// (application, production, distribution, collection, activation at the bank, a deposit),
/// from `workers` threads so the store commits many steps together.
pub(crate) fn issue_cards(
    app: &App,
    staff: (&Actor, &[Actor]),
    persons: &[PersonId],
    workers: usize,
) -> Result<Vec<String>, String> {
    let next = AtomicUsize::new(0);
    let issued: Mutex<Vec<(usize, String)>> = Mutex::new(Vec::with_capacity(persons.len()));
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers.clamp(1, 64))
            .map(|_| {
                scope.spawn(|| -> Result<(), String> {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(person) = persons.get(i) else {
                            return Ok(());
                        };
                        let card = issue_card(app, staff, i, person)?;
                        issued.lock().map_err(fail)?.push((i, card));
                    }
                })
            })
            .collect();
        for handle in handles {
            handle
                .join()
                .map_err(|_| "a card setup thread panicked")??;
        }
        Ok::<_, String>(())
    })?;
    let mut issued = issued.into_inner().map_err(fail)?;
    issued.sort_unstable();
    Ok(issued.into_iter().map(|(_, card)| card).collect())
}

/// The i-th holder's card, from the application to the opening deposit; returns its id.
fn issue_card(
    app: &App,
    (clerk, tellers): (&Actor, &[Actor]),
    i: usize,
    person: &PersonId,
) -> Result<String, String> {
    let teller = tellers
        .get(i / DEPOSITS_PER_TELLER)
        .ok_or("no teller for this card")?;
    let number = citizen_id(i).ok_or("cannot generate an ID number")?;
    let card = produce_card(app, clerk, i, person)?;
    app.collect_card(
        clerk,
        &card_step_key(i, "collect"),
        &card,
        CollectRequest {
            citizen_id: number.clone(),
            social_pin: "582037".into(),
        },
    )
    .map_err(fail)?;
    app.activate_financial(
        teller,
        &card_step_key(i, "activate"),
        &card,
        ActivateRequest {
            citizen_id: number,
            pin: PIN.into(),
        },
    )
    .map_err(fail)?;
    app.deposit(
        teller,
        &card_step_key(i, "deposit"),
        &card,
        CashRequest {
            amount_fen: OPENING_DEPOSIT_FEN,
            pin: None,
            memo: None,
        },
    )
    .map_err(fail)?
    .posted()
    .ok_or("the opening deposit waits for a second teller's approval")?;
    Ok(card)
}

/// The i-th holder's card applied for, produced and ready at the branch; returns its id.
fn produce_card(app: &App, clerk: &Actor, i: usize, person: &PersonId) -> Result<String, String> {
    let card = app
        .apply_card(
            clerk,
            &card_step_key(i, "apply"),
            CardApplication {
                person_id: person.to_string(),
                bank_id: "icbc".into(),
                region: "330100".into(),
            },
        )
        .map_err(fail)?
        .id;
    app.start_production(clerk, &card_step_key(i, "production"), &card)
        .map_err(fail)?;
    app.mark_ready(
        clerk,
        &card_step_key(i, "ready"),
        &card,
        ReadyRequest {
            distribution_point: "icbc-1".into(),
        },
    )
    .map_err(fail)?;
    Ok(card)
}

/// The idempotency key of one step of the i-th holder's card.
fn card_step_key(i: usize, step: &str) -> String {
    format!("bench-card-{i}-{step}")
}
