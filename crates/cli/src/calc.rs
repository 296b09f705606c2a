//! `shebao calc`: the calculators for staff, each printing its answer as JSON. A command's
//! fields are its question's, so the question is the command serialized.

use std::process::ExitCode;

use clap::Subcommand;

#[derive(Subcommand, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum CalcCommand {
    /// Statutory retirement month under the 2025 reform.
    Retirement {
        /// Birth month, YYYY-MM.
        #[arg(long)]
        birth: String,
        /// male, female-55 or female-50.
        #[arg(long)]
        category: String,
    },
    /// Monthly pension: basic plus personal-account part.
    Pension {
        #[arg(long)]
        average_wage_fen: i64,
        #[arg(long)]
        contribution_index: String,
        #[arg(long)]
        contribution_months: u32,
        #[arg(long)]
        account_balance_fen: i64,
        #[arg(long)]
        retirement_age: u32,
    },
    /// The split of a medical bill between fund, personal account and cash.
    Settlement {
        #[arg(long)]
        total_fen: i64,
        #[arg(long)]
        self_paid_fen: i64,
        #[arg(long)]
        over_limit_fen: i64,
        #[arg(long)]
        class_b_fen: i64,
        /// Class B first-share ratio: "0.1" or "10%".
        #[arg(long)]
        class_b_ratio: String,
        #[arg(long)]
        deductible_remaining_fen: i64,
        /// Pool ratio: "0.85" or "85%".
        #[arg(long)]
        pool_ratio: String,
        #[arg(long)]
        cap_remaining_fen: i64,
        #[arg(long)]
        account_balance_fen: i64,
    },
    /// Contributions per insurance at the demo region's rates.
    Contribution {
        #[arg(long)]
        average_wage_fen: i64,
        #[arg(long)]
        wage_fen: i64,
    },
    /// Whether unemployment benefit is due, and for how many months at most.
    Unemployment {
        /// Cumulative months of unemployment-insurance contributions.
        #[arg(long)]
        contribution_months: u32,
        /// Unused months of the previous spell.
        #[arg(long, default_value_t = 0)]
        carried_months: u32,
    },
    /// A work-injury disability's one-time subsidy and monthly allowance.
    Injury {
        /// Average monthly contribution wage of the 12 months before the injury.
        #[arg(long)]
        own_wage_fen: i64,
        /// The local average monthly wage.
        #[arg(long)]
        average_wage_fen: i64,
        /// Disability grade, 1 (most severe) to 10.
        #[arg(long)]
        grade: u8,
        /// The local minimum wage the monthly allowance is topped up to.
        #[arg(long)]
        minimum_wage_fen: Option<i64>,
    },
    /// The benefits on a death from work injury: funeral grant, one-time benefit, dependants'
    /// pensions.
    Death {
        /// Average monthly contribution wage of the 12 months before the injury.
        #[arg(long)]
        own_wage_fen: i64,
        /// The local average monthly wage.
        #[arg(long)]
        average_wage_fen: i64,
        /// The previous year's national urban per-capita disposable income.
        #[arg(long)]
        national_income_fen: i64,
        /// The relatives supported, comma-separated: spouse, other, lone (lone elder or orphan).
        #[arg(long)]
        dependants: Option<String>,
    },
    /// Maternity leave days and allowance.
    Maternity {
        /// The employer's average monthly contribution wage of the previous year.
        #[arg(long)]
        average_wage_fen: i64,
        /// birth or miscarriage.
        #[arg(long)]
        event: String,
        /// Babies of the birth (default 1).
        #[arg(long)]
        babies: Option<u32>,
        /// A difficult birth.
        #[arg(long)]
        difficult: bool,
        /// Whole months of pregnancy before a miscarriage.
        #[arg(long)]
        pregnancy_months: Option<u32>,
        /// The days the monthly wage is divided by (the region's parameter; default 30).
        #[arg(long)]
        divisor_days: Option<u32>,
    },
}

pub(crate) fn calc(command: CalcCommand) -> Result<ExitCode, String> {
    use shebao_app::insurance::calc;
    // A variant's fields are named as its question's: they are the question, as JSON.
    let fields = serde_json::to_value(&command)
        .ok()
        .and_then(|tagged| tagged.as_object()?.values().next().cloned())
        .ok_or("the calculation's arguments")?;
    let out = match command {
        CalcCommand::Retirement { .. } => ask(fields, calc::retirement_answer),
        CalcCommand::Pension { .. } => ask(fields, calc::pension_answer),
        CalcCommand::Settlement { .. } => ask(fields, calc::settlement_answer),
        CalcCommand::Contribution { .. } => ask(fields, calc::contribution_answer),
        CalcCommand::Unemployment { .. } => ask(fields, calc::unemployment_answer),
        CalcCommand::Injury { .. } => ask(fields, calc::injury_answer),
        CalcCommand::Death { .. } => ask(fields, calc::death_answer),
        CalcCommand::Maternity { .. } => ask(fields, calc::maternity_answer),
    }?;
    println!("{out}");
    Ok(ExitCode::SUCCESS)
}

/// The answer of a calculation to the question its arguments make.
fn ask<Q: serde::de::DeserializeOwned, A: serde::Serialize>(
    fields: serde_json::Value,
    answer: fn(&Q) -> Result<A, shebao_app::AppError>,
) -> Result<serde_json::Value, String> {
    let question: Q = serde_json::from_value(fields).map_err(|e| e.to_string())?;
    serde_json::to_value(answer(&question).map_err(|e| e.to_string())?).map_err(|e| e.to_string())
}
