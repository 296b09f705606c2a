//! The labour-ability appraisal: the region's pool of experts, kept by the committee's
//! secretary; a panel of 3 or 5 drawn for a recognised case from the experts free of its
//! employer, by a seed from the operating system's random source that is kept with the pool
//! it was drawn from (so anyone can redo the draw); and the panel's conclusion, a grade 1-10
//! or none, with the level of care needed.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::access::Operation;
use shebao_domain::ids::EmployerId;
use shebao_domain::insurance::injury_case::{
    APPRAISAL_DAYS, AppraisalKind, Concluded, EXPERT_POOL_MAX, PoolExpert, draw_panel, may_appraise,
};
use shebao_domain::insurance::{CareLevel, DisabilityGrade};
use shebao_domain::text::TRIMMED_TEXT_PATTERN;
use shebao_domain::time::{DATE_PATTERN, Date};
use shebao_store::tx::INJURY_LISTED_MAX;
use shebao_store::{InjuryAppraisalRecord, InjuryExpertRecord, Tx};

use super::{InjuryCaseView, RECOGNISED, case_view, injury_refusal, known_case, rule};
use crate::error::{Clash, OrNotFound, RefusalCode};
use crate::reference::region_code;
use crate::{Actor, App, AppError, Audit, new_id};

/// An expert added to a region's pool.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewExpert {
    /// The committee's code for the expert (1 to 32 letters, digits or dashes), unique in
    /// the region; no name is kept.
    #[schemars(regex(pattern = r"^[A-Za-z0-9-]{1,32}$"))]
    pub code: String,
    /// The expert's field (orthopaedics, neurology, …), 1 to 100 characters.
    #[schemars(length(min = 1, max = 100), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub specialty: String,
    /// The insured unit the expert works for, if any: never drawn for its cases.
    #[serde(default)]
    pub employer_id: Option<String>,
}

/// An expert of a pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "InjuryExpert")]
pub struct ExpertView {
    pub id: String,
    pub region: String,
    pub code: String,
    pub specialty: String,
    pub employer_id: Option<String>,
    pub active: bool,
}

/// A panel drawn for a case.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DrawRequest {
    /// `first`, `reappraisal` (within 15 days of a first conclusion; final) or `review`
    /// (a year or more after the last conclusion).
    #[schemars(extend("enum" = AppraisalKind::NAMES))]
    pub kind: String,
    /// 3 or 5 experts.
    #[schemars(extend("enum" = [3, 5]))]
    pub size: u32,
    /// The day the party's request reached the committee (today when absent): the
    /// deadlines count from it.
    #[serde(default)]
    #[schemars(regex(pattern = DATE_PATTERN))]
    pub requested_on: Option<String>,
}

/// A panel's conclusion.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AppraisalConclusion {
    /// The disability grade, 1 (the most severe) to 10; absent for no disability.
    #[serde(default)]
    #[schemars(range(min = 1, max = 10))]
    pub grade: Option<u8>,
    /// The care needed, if any: `full`, `major` or `partial`.
    #[serde(default)]
    #[schemars(extend("enum" = ["full", "major", "partial"]))]
    pub care_level: Option<String>,
}

/// An appraisal as kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "InjuryAppraisal")]
pub struct AppraisalView {
    pub id: String,
    pub case_id: String,
    /// `first`, `reappraisal` or `review`.
    pub kind: String,
    /// The day the party's request reached the committee.
    pub requested_on: String,
    pub panel_size: i64,
    /// The draw's seed (hex), the pool it was drawn from and the experts drawn, in order;
    /// shown to the bureau, the committee and the auditor, not to the parties.
    pub seed: Option<String>,
    pub pool: Option<Vec<String>>,
    pub panel: Option<Vec<String>>,
    pub drawn_at: String,
    /// The day the conclusion is due.
    pub due_on: String,
    /// `drawn` or `concluded`.
    pub status: String,
    pub grade: Option<i64>,
    pub care_level: Option<String>,
    pub concluded_on: Option<String>,
}

pub(crate) const DRAWN: &str = "drawn";
pub(crate) const CONCLUDED: &str = "concluded";

fn words(list: &str) -> Vec<String> {
    list.split_whitespace().map(str::to_owned).collect()
}

pub(crate) fn appraisal_view(record: &InjuryAppraisalRecord, panel: bool) -> AppraisalView {
    AppraisalView {
        id: record.id.clone(),
        case_id: record.case_id.clone(),
        kind: record.kind.as_str().into(),
        requested_on: record.requested_on.to_string(),
        panel_size: record.panel_size,
        seed: panel.then(|| record.seed.clone()),
        pool: panel.then(|| words(&record.pool)),
        panel: panel.then(|| words(&record.panel)),
        drawn_at: record.drawn_at.to_string(),
        due_on: record.due_on.to_string(),
        status: record.status.clone(),
        grade: record.grade,
        care_level: record.care_level.clone(),
        concluded_on: record.concluded_on.map(|d| d.to_string()),
    }
}

fn expert_view(record: &InjuryExpertRecord) -> ExpertView {
    ExpertView {
        id: record.id.clone(),
        region: record.region.to_string(),
        code: record.code.clone(),
        specialty: record.specialty.clone(),
        employer_id: record.employer_id.as_ref().map(ToString::to_string),
        active: record.active,
    }
}

/// A care level by name.
pub(crate) fn care_level(name: &str) -> Option<CareLevel> {
    match name {
        "full" => Some(CareLevel::Full),
        "major" => Some(CareLevel::Major),
        "partial" => Some(CareLevel::Partial),
        _ => None,
    }
}

/// A concluded appraisal as the rules see it, with its record.
pub(crate) type ConcludedAppraisal<'a> = (Concluded, &'a InjuryAppraisalRecord);

/// The case's concluded appraisals, in the order concluded, and whether one is open.
pub(crate) fn concluded_of(
    appraisals: &[InjuryAppraisalRecord],
) -> Result<(Vec<ConcludedAppraisal<'_>>, bool), AppError> {
    let mut concluded = Vec::new();
    for a in appraisals {
        if a.status == CONCLUDED {
            let on = a
                .concluded_on
                .ok_or_else(|| AppError::Internal("a concluded appraisal without a day".into()))?;
            concluded.push((Concluded { kind: a.kind, on }, a));
        }
    }
    concluded.sort_by_key(|(c, a)| (c.on, a.drawn_at));
    let open = appraisals.iter().any(|a| a.status == DRAWN);
    Ok((concluded, open))
}

fn known_appraisal(tx: &mut Tx<'_>, id: &str) -> Result<InjuryAppraisalRecord, AppError> {
    tx.injury_appraisal(id)?
        .or_not_found("injury appraisal", id)
}

impl App {
    /// Adds an expert to a region's pool.
    pub fn add_injury_expert(
        &self,
        actor: &Actor,
        key: &str,
        region: &str,
        request: NewExpert,
    ) -> Result<ExpertView, AppError> {
        self.authorise(actor, Operation::ManageExperts)?;
        let region = region_code(region, "region")?;
        let code = request.code.trim().to_owned();
        if code.is_empty()
            || code.len() > 32
            || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            return Err(AppError::invalid(
                "code",
                "1 to 32 letters, digits or dashes",
            ));
        }
        let specialty = request.specialty.trim().to_owned();
        if specialty.is_empty()
            || specialty.chars().count() > 100
            || specialty.chars().any(char::is_control)
        {
            return Err(AppError::invalid("specialty", "1 to 100 characters"));
        }
        let employer = request
            .employer_id
            .as_deref()
            .map(|e| EmployerId::new(e.trim()));
        let (id, label) = (new_id("exp"), actor.label());
        let audit = Audit::creating("injury.expert_add", format!("region:{region}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            tx.region(&region)?.or_not_found("region", &region)?;
            if let Some(employer) = &employer {
                tx.employer(employer)?.or_not_found("employer", employer)?;
            }
            let pool = tx.injury_experts_of(&region, EXPERT_POOL_MAX as i64)?;
            if pool.iter().any(|e| e.code == code) {
                return Err(AppError::Conflict(Clash::ExpertCodeTaken));
            }
            if pool.len() >= EXPERT_POOL_MAX {
                return Err(rule(
                    RefusalCode::WrongState,
                    format!("the pool holds its most, {EXPERT_POOL_MAX} experts"),
                ));
            }
            let expert = InjuryExpertRecord {
                id: id.clone(),
                region: region.clone(),
                code: code.clone(),
                specialty: specialty.clone(),
                employer_id: employer.clone(),
                active: true,
                added_by: label.clone(),
                added_at: now,
                version: 0,
            };
            tx.insert_injury_expert(&expert)?;
            let detail = serde_json::json!({ "expert": expert.id, "code": expert.code });
            Ok((expert_view(&expert), detail.to_string()))
        })
    }

    /// A region's pool of experts, by code.
    pub fn injury_experts(&self, actor: &Actor, region: &str) -> Result<Vec<ExpertView>, AppError> {
        self.authorise(actor, Operation::ManageExperts)?;
        let region = region_code(region, "region")?;
        self.store.read(move |tx| {
            tx.region(&region)?.or_not_found("region", &region)?;
            Ok(tx
                .injury_experts_of(&region, EXPERT_POOL_MAX as i64)?
                .iter()
                .map(expert_view)
                .collect())
        })
    }

    /// Draws a panel for a recognised case on a party's request: `size` experts of the
    /// case's region, none working for its employer and, for a re-appraisal, none who sat on
    /// an earlier panel of the case, by a fresh random seed kept with the pool drawn from.
    /// One appraisal open at a time; the kinds follow in their order and their deadlines
    /// count from the request ([`may_appraise`]).
    pub fn draw_injury_panel(
        &self,
        actor: &Actor,
        key: &str,
        case: &str,
        request: DrawRequest,
    ) -> Result<InjuryCaseView, AppError> {
        self.authorise(actor, Operation::AppraiseInjury)?;
        let kind = AppraisalKind::parse(request.kind.trim())
            .ok_or_else(|| AppError::invalid("kind", "first, reappraisal or review"))?;
        let requested = request
            .requested_on
            .as_deref()
            .map(|day| {
                Date::parse_iso(day.trim())
                    .ok_or_else(|| AppError::invalid("requested_on", "a date, YYYY-MM-DD"))
            })
            .transpose()?;
        let size = usize::try_from(request.size).unwrap_or(usize::MAX);
        let (case_id, label, actor_in) = (case.to_owned(), actor.label(), actor.clone());
        let seed = crate::vault::random_bytes::<32>();
        let audit = Audit::on("injury.draw", format!("injury_case:{case_id}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let case = known_case(tx, &case_id)?;
            if case.status != RECOGNISED {
                return Err(rule(
                    RefusalCode::WrongState,
                    "only a recognised injury is appraised",
                ));
            }
            let appraisals = super::appraisals_of(tx, &case.id)?;
            let (concluded, open) = concluded_of(&appraisals)?;
            if open {
                return Err(AppError::Conflict(Clash::AppraisalOpen));
            }
            let today = App::today_in(tx, &case.region, now)?;
            let requested_on = requested.unwrap_or(today);
            if requested_on > today || requested_on < case.injured_on {
                return Err(AppError::invalid(
                    "requested_on",
                    "a day from the injury to today",
                ));
            }
            let conclusions: Vec<Concluded> = concluded.iter().map(|(c, _)| *c).collect();
            if !may_appraise(kind, &conclusions, requested_on)
                .map_err(|refusal| injury_refusal(refusal, "requested_on"))?
            {
                return Err(rule(
                    RefusalCode::WrongState,
                    format!("a {} appraisal does not follow this case's", kind.as_str()),
                ));
            }
            // The benefits are settled once on the conclusion in force, which a re-appraisal
            // drawn now would contradict.
            if kind == AppraisalKind::Reappraisal && tx.injury_settlement(&case.id)?.is_some() {
                return Err(rule(
                    RefusalCode::WrongState,
                    "the benefits are settled on the conclusion in force",
                ));
            }
            // The province's re-appraisal is another panel's: nobody who sat on this case.
            let sat: Vec<&str> = if kind == AppraisalKind::Reappraisal {
                appraisals
                    .iter()
                    .flat_map(|a| a.panel.split_whitespace())
                    .collect()
            } else {
                Vec::new()
            };
            let experts = tx.injury_experts_of(&case.region, EXPERT_POOL_MAX as i64 + 1)?;
            if experts.len() > EXPERT_POOL_MAX {
                return Err(AppError::Internal(format!(
                    "region {} has more than {EXPERT_POOL_MAX} experts",
                    case.region
                )));
            }
            let employer = case.employer_id.to_string();
            let pool: Vec<PoolExpert<'_>> = experts
                .iter()
                .filter(|e| {
                    e.active
                        && e.employer_id.as_ref() != Some(&case.employer_id)
                        && !sat.contains(&e.id.as_str())
                })
                .map(|e| PoolExpert {
                    id: &e.id,
                    employer: e.employer_id.as_ref().map(EmployerId::as_str),
                })
                .collect();
            let panel = draw_panel(&seed, &pool, &employer, size)
                .map_err(|refusal| injury_refusal(refusal, "size"))?;
            let pool_ids: Vec<&str> = pool.iter().map(|e| e.id).collect();
            let appraisal = InjuryAppraisalRecord {
                id: new_id("apr"),
                case_id: case.id.clone(),
                kind,
                requested_on,
                panel_size: i64::try_from(size).unwrap_or(i64::MAX),
                seed: hex::encode(seed),
                pool: pool_ids.join(" "),
                panel: panel.join(" "),
                drawn_by: label.clone(),
                drawn_at: now,
                // The committee's days run from the request it received.
                due_on: requested_on.add_days(APPRAISAL_DAYS),
                status: DRAWN.into(),
                grade: None,
                care_level: None,
                concluded_by: None,
                concluded_on: None,
                version: 0,
            };
            tx.insert_injury_appraisal(&appraisal)?;
            let detail = serde_json::json!({
                "appraisal": appraisal.id, "kind": kind.as_str(), "seed": appraisal.seed,
                "panel": panel,
            });
            Ok((case_view(tx, &case, &actor_in)?, detail.to_string()))
        })
    }

    /// Records a panel's conclusion, once: a grade 1-10 or none, and the care needed.
    pub fn conclude_injury_appraisal(
        &self,
        actor: &Actor,
        key: &str,
        appraisal: &str,
        request: AppraisalConclusion,
    ) -> Result<InjuryCaseView, AppError> {
        self.authorise(actor, Operation::AppraiseInjury)?;
        let grade = request
            .grade
            .map(|g| DisabilityGrade::new(g).map_err(|e| AppError::invalid("grade", e.to_string())))
            .transpose()?;
        let care = request
            .care_level
            .as_deref()
            .map(|name| {
                care_level(name.trim())
                    .map(|_| name.trim().to_owned())
                    .ok_or_else(|| AppError::invalid("care_level", "full, major or partial"))
            })
            .transpose()?;
        if grade.is_none() && care.is_some() {
            return Err(AppError::invalid(
                "care_level",
                "care follows a disability grade",
            ));
        }
        let (id, label, actor_in) = (appraisal.to_owned(), actor.label(), actor.clone());
        let audit = Audit::on("injury.conclude", format!("injury_appraisal:{id}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let mut appraisal = known_appraisal(tx, &id)?;
            if appraisal.status != DRAWN {
                return Err(rule(RefusalCode::WrongState, "the appraisal is concluded"));
            }
            let case = known_case(tx, &appraisal.case_id)?;
            appraisal.status = CONCLUDED.into();
            appraisal.grade = grade.map(|g| i64::from(g.get()));
            appraisal.care_level = care.clone();
            appraisal.concluded_by = Some(label.clone());
            appraisal.concluded_on = Some(App::today_in(tx, &case.region, now)?);
            tx.save_injury_appraisal(&appraisal)?;
            let detail = serde_json::json!({
                "appraisal": appraisal.id, "grade": appraisal.grade, "care_level": appraisal.care_level
            });
            Ok((case_view(tx, &case, &actor_in)?, detail.to_string()))
        })
    }

    /// The cases before the committee, oldest first: those whose panel is drawn and has not
    /// concluded, with their appraisals. A panel is drawn on the case a party's request
    /// names.
    pub fn injury_cases_to_appraise(&self, actor: &Actor) -> Result<Vec<InjuryCaseView>, AppError> {
        self.authorise(actor, Operation::AppraiseInjury)?;
        let actor = actor.clone();
        self.store.read(move |tx| {
            let cases = tx.injury_cases_before_committee(INJURY_LISTED_MAX)?;
            cases.iter().map(|c| case_view(tx, c, &actor)).collect()
        })
    }
}
