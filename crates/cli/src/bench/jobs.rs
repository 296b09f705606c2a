//! `shebao bench jobs`: the job board's search over N published vacancies (issue 17: p99
//! under 20 ms at 10,000).
//!
//! Set-up, through the real use cases: 20 employers, each with its staff login; N vacancies
//! posted by them (titles, requirements, places, occupations and wages drawn from fixed lists
//! by the vacancy's number, so every run builds the same board) and each approved by the
//! bureau, from `clients` threads; then the planner's statistics refreshed, as PostgreSQL's
//! autovacuum would within a minute. Timed: searches as a holder — one kind at a time from one
//! client, then all kinds mixed from `clients` clients, flat out and then offered at half and
//! at 80% of that peak — each answered through the store's
//! full-text index (SQLite FTS5, PostgreSQL `tsvector`), the filters, the employers' names
//! and each vacancy's closing day in its region.

use std::sync::Arc;
use std::time::Instant;

use serde_json::{Value, json};
use shebao_app::employment::{NewVacancy, VacancyQuery, VacancyReview};
use shebao_app::insurance::NewEmployer;
use shebao_app::person::NewPerson;
use shebao_app::{Actor, App, AppError};
use shebao_domain::person::identity::SocialCreditCode;
use shebao_domain::reference::region::RegionParameters;
use shebao_store::Store;

use super::common::{Context, app_fail, fail, measure, measure_paced, pick};
use super::setup::{bench_app, citizen_id, staff, staff_user};
use crate::config::ProgressBar;

const EMPLOYERS: usize = 20;

const TITLES: [&str; 32] = [
    "会计",
    "出纳",
    "财务经理",
    "软件工程师",
    "Java开发工程师",
    "前端开发",
    "测试工程师",
    "产品经理",
    "销售代表",
    "客服专员",
    "行政助理",
    "人事专员",
    "仓库管理员",
    "叉车司机",
    "货车司机",
    "快递员",
    "厨师",
    "服务员",
    "保安",
    "保洁员",
    "电工",
    "焊工",
    "机修工",
    "护士",
    "药剂师",
    "教师",
    "幼儿教师",
    "设计师",
    "数据分析师",
    "运营专员",
    "采购员",
    "质检员",
];
const GRADES: [&str; 5] = ["", "高级", "初级", "资深", "实习"];
const REQUIREMENTS: [&str; 10] = [
    "三年以上相关工作经验",
    "熟练使用Excel",
    "持有C1驾照",
    "本科及以上学历",
    "能适应倒班",
    "有团队合作精神",
    "持证上岗",
    "熟悉Python",
    "普通话流利",
    "吃苦耐劳",
];
const PLACES: [&str; 14] = [
    "330102", "330105", "330106", "330108", "330109", "330110", "330111", "330112", "330113",
    "330114", "440303", "440304", "440305", "440306",
];
const OCCUPATIONS: [&str; 8] = [
    "2-06-01-01",
    "2-02-10-01",
    "4-01-02-01",
    "4-02-01-01",
    "4-03-02-01",
    "6-18-01-01",
    "2-05-08-01",
    "4-07-05-01",
];

/// The n-th vacancy of the board, closing `days` (1 to 366) after `today`.
fn vacancy(n: usize, closing: &str) -> NewVacancy {
    let wage_min_fen = 300_000 + i64::try_from(pick(1, n, 30)).unwrap_or(0) * 50_000;
    NewVacancy {
        title: format!(
            "{}{}",
            GRADES[pick(2, n, 5)],
            TITLES[pick(3, n, TITLES.len())]
        ),
        occupation: OCCUPATIONS[pick(4, n, OCCUPATIONS.len())].into(),
        place: PLACES[pick(5, n, PLACES.len())].into(),
        wage_min_fen,
        wage_max_fen: wage_min_fen + 200_000,
        requirements: (0..3)
            .map(|k| REQUIREMENTS[pick(6 + k, n, REQUIREMENTS.len())])
            .collect::<Vec<_>>()
            .join("，"),
        openings: 1 + u32::try_from(pick(9, n, 5)).unwrap_or(0),
        closing: closing.into(),
    }
}

/// The kinds of search a holder makes, by name: the n-th search of a kind.
fn query(kind: &str, n: usize) -> VacancyQuery {
    let title = TITLES[pick(10, n, TITLES.len())];
    let mut query = VacancyQuery::default();
    match kind {
        "one_word" => query.q = Some(title.into()),
        "two_words" => {
            query.q = Some(format!(
                "{title} {}",
                ["经验", "Excel", "驾照", "学历", "倒班"][pick(11, n, 5)]
            ));
        }
        "word_in_city" => {
            query.q = Some(title.into());
            query.place = Some("3301".into());
        }
        "occupation_and_wage" => {
            query.occupation = Some(OCCUPATIONS[pick(12, n, OCCUPATIONS.len())][..4].into());
            query.wage_at_least_fen = Some(1_000_000);
        }
        "district" => query.place = Some(PLACES[pick(13, n, PLACES.len())].into()),
        _ => {}
    }
    query
}

const KINDS: [&str; 6] = [
    "one_word",
    "two_words",
    "word_in_city",
    "occupation_and_wage",
    "district",
    "newest",
];

/// Employers with a staff login each.
fn employers(app: &App, admin: &Actor, clerk: &Actor) -> Result<Vec<(String, Actor)>, String> {
    let mut out = Vec::new();
    for n in 0..EMPLOYERS {
        let first17 = format!("91330100MA2JBTW{n:02}");
        let code = "0123456789ABCDEFGHJKLMNPQRTUWXY"
            .chars()
            .map(|check| format!("{first17}{check}"))
            .find(|code| SocialCreditCode::parse(code).is_ok())
            .ok_or_else(|| format!("no check character for {first17}"))?;
        let employer = app
            .register_employer(
                clerk,
                &format!("bench-jobs-employer-{n}"),
                NewEmployer {
                    credit_code: code,
                    name: format!("杭州招聘基准{n}有限公司"),
                    region: "330100".into(),
                    risk_class: 1,
                    rate_tier_percent: 100,
                },
            )
            .map_err(app_fail)?;
        let user = staff_user(
            app,
            admin,
            &format!("bench-jobs-hr-{n}"),
            shebao_app::access::auth::NewUser {
                employer_id: Some(employer.id.clone()),
                ..staff("employer", &format!("bench-jobs-hr-{n}"), None, None)
            },
        )?;
        out.push((employer.id, user));
    }
    Ok(out)
}

/// Posts and approves `count` vacancies from `clients` threads.
fn post_board(
    app: &App,
    clerk: &Actor,
    employers: &[(String, Actor)],
    count: usize,
    clients: usize,
) -> Result<(), String> {
    let today = app
        .now()
        .local_date(RegionParameters::common().utc_offset());
    let bar = std::sync::Mutex::new(ProgressBar::new("vacancies (posted and approved)"));
    let done = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..clients)
            .map(|client| {
                let (bar, done) = (&bar, &done);
                scope.spawn(move || -> Result<(), String> {
                    for n in (client..count).step_by(clients) {
                        let closing = today.add_days(1 + i64::try_from(n % 366).unwrap_or(0));
                        let (employer, hr) = &employers[n % employers.len()];
                        let posted = app
                            .post_vacancy(
                                hr,
                                &format!("bench-jobs-post-{n}"),
                                employer,
                                vacancy(n, &closing.to_string()),
                            )
                            .map_err(app_fail)?;
                        app.review_vacancy(
                            clerk,
                            &format!("bench-jobs-review-{n}"),
                            &posted.id,
                            VacancyReview {
                                decision: "approve".into(),
                                note: None,
                            },
                        )
                        .map_err(app_fail)?;
                        let finished = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                        if finished % 100 == 0
                            && let Ok(mut bar) = bar.lock()
                        {
                            bar.show(finished, count);
                        }
                    }
                    Ok(())
                })
            })
            .collect();
        for worker in workers {
            worker.join().map_err(|_| "a posting thread panicked")??;
        }
        Ok::<(), String>(())
    })?;
    if let Ok(mut bar) = bar.into_inner() {
        bar.finish();
    }
    Ok(())
}

/// A holder: the searches are theirs.
fn holder(app: &App, admin: &Actor, clerk: &Actor) -> Result<Actor, String> {
    let person = app
        .register_person(
            clerk,
            "bench-jobs-holder",
            NewPerson {
                citizen_id: citizen_id(0).ok_or("cannot generate an ID number")?,
                name: "求职者".into(),
                nationality: "CHN".into(),
                household_region: "330106".into(),
                household_kind: "urban".into(),
                phone: None,
            },
        )
        .map_err(app_fail)?;
    let _ = admin;
    let login = app
        .open_holder_login(
            clerk,
            "bench-jobs-holder-login",
            &person.id,
            shebao_app::access::holder_logins::WindowEnrolment {
                username: "bench-jobs-holder".into(),
                original_id_checked: true,
            },
        )
        .map_err(app_fail)?;
    app.actor_for_username(&login.user.username).map_err(fail)
}

/// Builds the board of `vacancies` and times the searches; one JSON row per kind (one
/// client) and one for the mix (`clients` clients).
pub fn jobs(
    store: Store,
    vacancies: usize,
    clients: usize,
    seconds: f64,
) -> Result<Vec<Value>, String> {
    let (app, admin, clerk) = bench_app(store)?;
    let kind = app.store().kind().to_owned();
    let setup = Instant::now();
    let employers = employers(&app, &admin, &clerk)?;
    post_board(&app, &clerk, &employers, vacancies, clients)?;
    // What autovacuum does within a minute of so many postings (PostgreSQL).
    app.store()
        .write(|tx| tx.refresh_vacancy_statistics())
        .map_err(fail)?;
    let holder = Arc::new(holder(&app, &admin, &clerk)?);
    let setup_seconds = setup.elapsed().as_secs_f64();
    let context = |clients: usize| Context {
        store: &kind,
        holders: 1,
        cards: 0,
        clients,
        baseline: "none",
        baseline_ops_per_s: 0.0,
    };
    let search = |app: App, holder: Arc<Actor>, kind: Option<&'static str>| {
        move |client: usize, n: usize| -> Result<(), AppError> {
            let kind = kind.unwrap_or(KINDS[pick(client, n, KINDS.len())]);
            app.search_vacancies(&holder, &query(kind, n)).map(|_| ())
        }
    };
    let mut rows = Vec::new();
    let per_kind = (seconds / KINDS.len() as f64).max(1.0);
    for kind in KINDS {
        // How many a search of this kind finds, on its first query.
        let hits = app
            .search_vacancies(&holder, &query(kind, 0))
            .map_err(app_fail)?
            .len();
        let measured = measure(1, per_kind, search(app.clone(), holder.clone(), Some(kind)))?;
        rows.push(measured.row(
            &format!("job_search_{kind}"),
            &context(1),
            json!({ "kind": kind, "vacancies": vacancies, "first_query_hits": hits,
                    "setup_seconds": setup_seconds, "baseline_ops_per_s": null, "ratio": null }),
        ));
    }
    let measured = measure(clients, seconds, search(app.clone(), holder.clone(), None))?;
    rows.push(measured.row(
        "job_search_mixed",
        &context(clients),
        json!({ "kind": "mixed", "vacancies": vacancies, "setup_seconds": setup_seconds,
                "baseline_ops_per_s": null, "ratio": null }),
    ));
    // The same mix offered at half and at 80% of that peak: the latency a holder sees on a
    // busy board that is not overloaded (flat out, the clients queue for the cores).
    for percent in [50_u32, 80] {
        let rate = measured.ops_per_s() * f64::from(percent) / 100.0;
        let paced = measure_paced(
            clients,
            seconds,
            rate,
            search(app.clone(), holder.clone(), None),
        )?;
        rows.push(paced.row(
            &format!("job_search_mixed_{percent}pct"),
            &context(clients),
            json!({ "kind": "mixed", "vacancies": vacancies, "offered_ops_per_s": rate,
                    "setup_seconds": setup_seconds, "baseline_ops_per_s": null, "ratio": null }),
        ));
    }
    Ok(rows)
}
