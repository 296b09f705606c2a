//! Reference data: issuing regions, their versioned parameters, cooperating banks and their
//! branches.

use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use shebao_domain::access::Operation;
use shebao_domain::ids::{BankId, BranchId, REGION_CODE_PATTERN, RegionCode};
use shebao_domain::text::TRIMMED_TEXT_PATTERN;
use shebao_domain::time::{DATE_PATTERN, Date, UtcOffset};
use shebao_store::{BankRecord, BranchRecord, RegionRecord, Tx};

use crate::error::OrNotFound;
use crate::views::{BankView, BranchView, ParametersBody, ParametersVersionView, RegionView};
use crate::{Actor, App, AppError, Audit};

/// A new issuing region.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRegion {
    #[schemars(regex(pattern = REGION_CODE_PATTERN))]
    pub code: String,
    #[schemars(length(min = 1, max = 100), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub name: String,
}

/// A new version of a region's parameters.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewParameters {
    /// `YYYY-MM-DD`; versions are added, never edited.
    #[schemars(regex(pattern = DATE_PATTERN))]
    pub effective_from: String,
    pub parameters: ParametersBody,
}

/// A new cooperating bank.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewBank {
    #[schemars(regex(pattern = SLUG_PATTERN))]
    pub id: String,
    #[schemars(length(min = 1, max = 100), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub name: String,
    #[schemars(regex(pattern = BIN_PATTERN))]
    pub bin: String,
    /// Whether the bank's own card system assigns its cards' bank card numbers through the
    /// API (`POST /api/v1/cards/{card}/bank-card-number`); otherwise the bureau draws them
    /// from the BIN when the card is applied for.
    #[serde(default)]
    pub numbers_from_bank: bool,
}

/// A new branch of a bank.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewBranch {
    #[schemars(regex(pattern = SLUG_PATTERN))]
    pub id: String,
    #[schemars(length(min = 1, max = 100), regex(pattern = TRIMMED_TEXT_PATTERN))]
    pub name: String,
    #[schemars(regex(pattern = REGION_CODE_PATTERN))]
    pub region: String,
}

/// What [`slug`] accepts (a bank's or branch's id): 2 to 32 lower-case letters, digits or
/// '-'.
pub const SLUG_PATTERN: &str = "^[a-z0-9-]{2,32}$";
/// What a bank's BIN must be: six digits.
pub const BIN_PATTERN: &str = "^[0-9]{6}$";

pub(crate) fn region_code(input: &str, field: &'static str) -> Result<RegionCode, AppError> {
    RegionCode::parse(input).ok_or_else(|| AppError::invalid(field, "six digits (GB/T 2260)"))
}

/// The date a version takes effect from, as sent (`YYYY-MM-DD`).
pub(crate) fn effective_from(input: &str) -> Result<Date, AppError> {
    Date::parse_iso(input).ok_or_else(|| AppError::invalid("effective_from", "a date, YYYY-MM-DD"))
}

/// The region's record, or not found.
pub(crate) fn known_region(tx: &mut Tx<'_>, region: &RegionCode) -> Result<RegionRecord, AppError> {
    tx.region(region)?.or_not_found("region", region)
}

/// Which of a region's versioned parameter sets a new version belongs to.
#[derive(Debug, Clone, Copy)]
pub(crate) enum ParameterSet {
    /// The region's card and account parameters.
    Region,
    /// The region's contribution parameters.
    Contribution,
    /// The region's benefit parameters.
    Benefit,
}

/// A new version of one of a region's parameter sets: where and from when it applies.
pub(crate) struct NewVersion {
    set: ParameterSet,
    region: RegionCode,
    effective_from: Date,
}

impl ParameterSet {
    /// A new version of this set: the region and the date it takes effect from, as sent.
    pub(crate) fn version(
        self,
        region: &str,
        effective_from_input: &str,
    ) -> Result<NewVersion, AppError> {
        Ok(NewVersion {
            set: self,
            region: region_code(region, "region")?,
            effective_from: effective_from(effective_from_input)?,
        })
    }
}

fn name(input: &str, field: &'static str) -> Result<String, AppError> {
    let trimmed = input.trim();
    if trimmed.is_empty() || trimmed.chars().count() > 100 || trimmed.chars().any(char::is_control)
    {
        return Err(AppError::invalid(field, "1 to 100 characters"));
    }
    Ok(trimmed.to_owned())
}

fn slug(input: &str, field: &'static str) -> Result<String, AppError> {
    let ok = (2..=32).contains(&input.len())
        && input
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(input.to_owned())
    } else {
        Err(AppError::invalid(
            field,
            "2 to 32 lower-case letters, digits or '-'",
        ))
    }
}

impl App {
    /// Adds `version`, with `parameters` stored as sent, once its region is known; audited on
    /// the region with the parameters as the detail. Versions are added, never edited.
    pub(crate) fn add_version<V>(
        &self,
        actor: &Actor,
        key: &str,
        request: &impl Serialize,
        version: NewVersion,
        parameters: &impl Serialize,
        view: V,
    ) -> Result<V, AppError>
    where
        V: Serialize + DeserializeOwned + Clone + Send + 'static,
    {
        let body = serde_json::to_string(parameters).map_err(AppError::failed("encoding JSON"))?;
        let NewVersion {
            set,
            region,
            effective_from,
        } = version;
        let action = match set {
            ParameterSet::Region => "region.add_parameters",
            ParameterSet::Contribution => "region.add_contribution_parameters",
            ParameterSet::Benefit => "region.add_benefit_parameters",
        };
        let audit = Audit::on(action, format!("region:{region}"));
        let label = actor.label();
        self.change(actor, key, request, audit, move |tx, now| {
            known_region(tx, &region)?;
            match set {
                ParameterSet::Region => {
                    tx.insert_region_parameters(&region, effective_from, &body, &label, now)?;
                }
                ParameterSet::Contribution => {
                    tx.insert_contribution_parameters(&region, effective_from, &body, &label, now)?;
                }
                ParameterSet::Benefit => {
                    tx.insert_benefit_parameters(&region, effective_from, &body, &label, now)?;
                }
            }
            Ok((view.clone(), body.clone()))
        })
    }

    pub fn create_region(
        &self,
        actor: &Actor,
        key: &str,
        request: NewRegion,
    ) -> Result<RegionView, AppError> {
        self.authorise(actor, Operation::ManageRegions)?;
        let record = RegionRecord {
            code: region_code(&request.code, "code")?,
            name: name(&request.name, "name")?,
        };
        let audit = Audit::on("region.create", format!("region:{}", record.code));
        self.change(actor, key, &request, audit, move |tx, now| {
            tx.insert_region(&record, now)?;
            Ok((RegionView::from(&record), "{}".into()))
        })
    }

    pub fn regions(&self, actor: &Actor) -> Result<Vec<RegionView>, AppError> {
        self.authorise(actor, Operation::ReadReference)?;
        let regions = self.store.read(|tx| tx.regions())?;
        Ok(regions.iter().map(RegionView::from).collect())
    }

    /// The offset from UTC that people's pages show times in: the regions' own when they all
    /// share one (a node serves regions of one country), else UTC. Ahead of any region's
    /// parameters (a new node), UTC.
    pub fn display_offset(&self, actor: &Actor) -> Result<UtcOffset, AppError> {
        self.authorise(actor, Operation::ReadReference)?;
        self.public_display_offset()
    }

    /// [`App::display_offset`] for the public pages, read without signing in (the regions'
    /// offset from UTC is no one's data).
    pub fn public_display_offset(&self) -> Result<UtcOffset, AppError> {
        let now = self.now();
        self.store.read(move |tx| {
            let mut offsets = Vec::new();
            for region in tx.regions()? {
                match App::parameters_in(tx, &region.code, now) {
                    Ok(params) => offsets.push(params.utc_offset()),
                    Err(AppError::NotFound(_)) => {}
                    Err(other) => return Err(other),
                }
            }
            offsets.dedup();
            Ok(match offsets.as_slice() {
                [one] => *one,
                _ => UtcOffset::UTC,
            })
        })
    }

    /// Adds a version of a region's parameters, effective from a date.
    pub fn add_parameters(
        &self,
        actor: &Actor,
        key: &str,
        region: &str,
        request: NewParameters,
    ) -> Result<ParametersVersionView, AppError> {
        self.authorise(actor, Operation::ManageRegions)?;
        let version = ParameterSet::Region.version(region, &request.effective_from)?;
        request.parameters.clone().into_domain().validate()?;
        let view = ParametersVersionView {
            region: version.region.to_string(),
            effective_from: version.effective_from.to_string(),
            parameters: request.parameters.clone(),
        };
        self.add_version(actor, key, &request, version, &request.parameters, view)
    }

    /// Every version of a region's parameters, oldest first.
    pub fn parameter_versions(
        &self,
        actor: &Actor,
        region: &str,
    ) -> Result<Vec<ParametersVersionView>, AppError> {
        self.authorise(actor, Operation::ReadReference)?;
        let region = region_code(region, "region")?;
        let code = region.clone();
        let versions = self
            .store
            .read(move |tx| tx.region_parameter_versions(&code))?;
        versions
            .into_iter()
            .map(|(from, body)| {
                let parameters: ParametersBody =
                    serde_json::from_str(&body).map_err(AppError::failed("decoding JSON"))?;
                Ok(ParametersVersionView {
                    region: region.to_string(),
                    effective_from: from.to_string(),
                    parameters,
                })
            })
            .collect()
    }

    pub fn create_bank(
        &self,
        actor: &Actor,
        key: &str,
        request: NewBank,
    ) -> Result<BankView, AppError> {
        self.authorise(actor, Operation::ManageBanks)?;
        let bin_ok = request.bin.len() == 6 && request.bin.bytes().all(|b| b.is_ascii_digit());
        if !bin_ok {
            return Err(AppError::invalid("bin", "six digits"));
        }
        let record = BankRecord {
            id: BankId::new(slug(&request.id, "id")?),
            name: name(&request.name, "name")?,
            bin: request.bin.clone(),
            numbers_from_bank: request.numbers_from_bank,
        };
        let audit = Audit::on("bank.create", format!("bank:{}", record.id));
        self.change(actor, key, &request, audit, move |tx, now| {
            tx.insert_bank(&record, now)?;
            let detail = serde_json::json!({ "numbers_from_bank": record.numbers_from_bank });
            Ok((BankView::from(&record), detail.to_string()))
        })
    }

    pub fn banks(&self, actor: &Actor) -> Result<Vec<BankView>, AppError> {
        self.authorise(actor, Operation::ReadReference)?;
        let banks = self.store.read(|tx| tx.banks())?;
        Ok(banks.iter().map(BankView::from).collect())
    }

    pub fn create_branch(
        &self,
        actor: &Actor,
        key: &str,
        bank: &str,
        request: NewBranch,
    ) -> Result<BranchView, AppError> {
        self.authorise(actor, Operation::ManageBanks)?;
        let record = BranchRecord {
            id: BranchId::new(slug(&request.id, "id")?),
            bank_id: BankId::new(bank),
            name: name(&request.name, "name")?,
            region: region_code(&request.region, "region")?,
        };
        let audit = Audit::on("branch.create", format!("branch:{}", record.id))
            .within(format!("bank:{}", record.bank_id));
        self.change(actor, key, &request, audit, move |tx, now| {
            tx.bank(&record.bank_id)?
                .ok_or_else(|| AppError::NotFound(format!("bank {}", record.bank_id)))?;
            tx.insert_branch(&record, now)?;
            Ok((BranchView::from(&record), "{}".into()))
        })
    }

    pub fn branches(&self, actor: &Actor, bank: &str) -> Result<Vec<BranchView>, AppError> {
        self.authorise(actor, Operation::ReadReference)?;
        let bank = BankId::new(bank);
        let branches = self.store.read(move |tx| tx.branches(&bank))?;
        Ok(branches.iter().map(BranchView::from).collect())
    }
}
