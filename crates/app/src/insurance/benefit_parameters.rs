//! A region's benefit parameters (issue 17): versioned as its contribution parameters are,
//! added by an administrator, read by the unemployment, maternity and injury use cases.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::access::Operation;
use shebao_domain::employment::training::TrainingParameters;
use shebao_domain::ids::RegionCode;
use shebao_domain::insurance::unemployment::{BenefitParameters, UnemploymentParameters};
use shebao_domain::time::{DATE_PATTERN, Date};
use shebao_store::Tx;

use crate::error::RefusalCode;
use crate::insurance::insurance_error;
use crate::reference::ParameterSet;
use crate::{Actor, App, AppError};

/// A version of a region's benefit parameters, as sent and stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "BenefitParameters")]
pub struct BenefitParametersBody {
    /// The monthly unemployment benefit: below the minimum wage, not below the minimum
    /// living allowance.
    #[schemars(range(min = 1))]
    pub unemployment_monthly_fen: i64,
    /// The local minimum monthly wage.
    #[schemars(range(min = 1))]
    pub minimum_wage_fen: i64,
    /// The urban minimum living allowance, monthly.
    #[schemars(range(min = 1))]
    pub minimum_living_allowance_fen: i64,
    /// Refusals of suitable work or training without good reason that stop the benefit.
    #[schemars(range(min = 1, max = 5))]
    pub refusals_to_stop: u32,
    /// Days a monthly wage is divided by for the maternity allowance.
    #[schemars(range(min = 28, max = 31))]
    pub maternity_divisor_days: u32,
    /// The previous year's national urban per-capita disposable income, yearly.
    #[schemars(range(min = 1))]
    pub national_disposable_income_fen: i64,
    /// The share of a course's hours a trainee must attend to complete it, in percent
    /// (vocational training; with `training_subsidy_max_fen`, or neither).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 50, max = 100))]
    pub training_attendance_percent: Option<u32>,
    /// The most a course may pay per completion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1, max = shebao_domain::employment::training::SUBSIDY_FEN_MAX))]
    pub training_subsidy_max_fen: Option<i64>,
}

impl BenefitParametersBody {
    #[must_use]
    pub fn to_domain(&self) -> BenefitParameters {
        BenefitParameters {
            unemployment: UnemploymentParameters {
                monthly_benefit_fen: self.unemployment_monthly_fen,
                minimum_wage_fen: self.minimum_wage_fen,
                minimum_living_allowance_fen: self.minimum_living_allowance_fen,
                refusals_to_stop: self.refusals_to_stop,
            },
            maternity_divisor_days: self.maternity_divisor_days,
            national_disposable_income_fen: self.national_disposable_income_fen,
            training: match (
                self.training_attendance_percent,
                self.training_subsidy_max_fen,
            ) {
                (Some(attendance_percent), Some(subsidy_max_fen)) => Some(TrainingParameters {
                    attendance_percent,
                    subsidy_max_fen,
                }),
                _ => None,
            },
        }
    }

    #[must_use]
    pub fn from_domain(params: &BenefitParameters) -> BenefitParametersBody {
        let u = &params.unemployment;
        BenefitParametersBody {
            unemployment_monthly_fen: u.monthly_benefit_fen,
            minimum_wage_fen: u.minimum_wage_fen,
            minimum_living_allowance_fen: u.minimum_living_allowance_fen,
            refusals_to_stop: u.refusals_to_stop,
            maternity_divisor_days: params.maternity_divisor_days,
            national_disposable_income_fen: params.national_disposable_income_fen,
            training_attendance_percent: params.training.map(|t| t.attendance_percent),
            training_subsidy_max_fen: params.training.map(|t| t.subsidy_max_fen),
        }
    }
}

/// A new version of a region's benefit parameters.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewBenefitParameters {
    #[schemars(regex(pattern = DATE_PATTERN))]
    pub effective_from: String,
    pub parameters: BenefitParametersBody,
}

/// The benefit parameters in force in `region` on `on`, or the refusal `no_parameters`.
pub(crate) fn benefit_parameters(
    tx: &mut Tx<'_>,
    region: &RegionCode,
    on: Date,
) -> Result<BenefitParameters, AppError> {
    let Some((_, body)) = tx.benefit_parameters_at(region, on)? else {
        return Err(AppError::Rule {
            code: RefusalCode::NoParameters,
            message: format!("region {region} has no benefit parameters in force on {on}"),
        });
    };
    let body: BenefitParametersBody =
        serde_json::from_str(&body).map_err(AppError::failed("decoding JSON"))?;
    Ok(body.to_domain())
}

impl App {
    /// Adds a version of a region's benefit parameters, once they validate.
    pub fn add_benefit_parameters(
        &self,
        actor: &Actor,
        key: &str,
        region: &str,
        request: NewBenefitParameters,
    ) -> Result<BenefitParametersBody, AppError> {
        self.authorise(actor, Operation::ManageRegions)?;
        let version = ParameterSet::Benefit.version(region, &request.effective_from)?;
        let body = &request.parameters;
        if body.training_attendance_percent.is_some() != body.training_subsidy_max_fen.is_some() {
            return Err(AppError::invalid(
                "training_subsidy_max_fen",
                "the training attendance share and subsidy cap are set together, or neither",
            ));
        }
        body.to_domain().validate().map_err(insurance_error)?;
        let view = request.parameters.clone();
        self.add_version(actor, key, &request, version, &request.parameters, view)
    }
}
