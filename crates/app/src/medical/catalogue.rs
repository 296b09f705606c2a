//! The medical reference data: designated institutions, the catalogue of items they may
//! bill, and each region's medical policy.

use shebao_domain::access::Operation;
use shebao_store::{CatalogueItemRecord, InstitutionRecord};

use super::{
    CatalogueItemView, InstitutionView, NewCatalogueItem, NewInstitution, NewMedicalPolicy,
};
use crate::reference::region_code;
use crate::reference::{effective_from, known_region};
use crate::{Actor, App, AppError, Audit};

impl App {
    pub fn register_institution(
        &self,
        actor: &Actor,
        key: &str,
        request: NewInstitution,
    ) -> Result<InstitutionView, AppError> {
        self.authorise(actor, Operation::ManageInstitutions)?;
        let valid_kind = matches!(
            (request.kind.as_str(), request.level),
            ("hospital", 1..=3) | ("pharmacy", 0)
        );
        if !valid_kind {
            return Err(AppError::invalid(
                "level",
                "a hospital is level 1-3, a pharmacy level 0",
            ));
        }
        let id_ok = (2..=32).contains(&request.id.len())
            && request
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !id_ok || request.name.trim().is_empty() {
            return Err(AppError::invalid(
                "id",
                "2 to 32 lower-case letters, digits or '-', and a name",
            ));
        }
        let record = InstitutionRecord {
            id: request.id.clone(),
            name: request.name.trim().to_owned(),
            region: region_code(&request.region, "region")?,
            kind: request.kind.clone(),
            level: i64::from(request.level),
            created_at: self.now(),
        };
        let view = InstitutionView {
            id: record.id.clone(),
            name: record.name.clone(),
            region: record.region.to_string(),
            kind: record.kind.clone(),
            level: record.level,
        };
        let audit = Audit::on("institution.register", format!("institution:{}", record.id));
        self.change(actor, key, &request, audit, move |tx, _| {
            known_region(tx, &record.region)?;
            tx.insert_institution(&record)?;
            Ok((view.clone(), "{}".into()))
        })
    }

    pub fn add_catalogue_item(
        &self,
        actor: &Actor,
        key: &str,
        region: &str,
        request: NewCatalogueItem,
    ) -> Result<NewCatalogueItem, AppError> {
        self.authorise(actor, Operation::ManageCatalogue)?;
        let region = region_code(region, "region")?;
        let effective_from = effective_from(&request.effective_from)?;
        let share = match (request.class.as_str(), request.first_share_ppm) {
            ("b", Some(share)) if share <= 1_000_000 => share,
            ("a" | "self_paid", None) => 0,
            _ => {
                return Err(AppError::invalid(
                    "class",
                    "a, b with first_share_ppm (at most 1000000), or self_paid",
                ));
            }
        };
        if request.code.trim().is_empty()
            || request.code.len() > 64
            || request.limit_price_fen.is_some_and(|p| p < 0)
        {
            return Err(AppError::invalid(
                "code",
                "1 to 64 characters and a limit price not below zero",
            ));
        }
        let item = CatalogueItemRecord {
            region: region.clone(),
            code: request.code.trim().to_owned(),
            effective_from,
            name: request.name.trim().to_owned(),
            class: request.class.clone(),
            first_share_ppm: i64::from(share),
            limit_price_fen: request.limit_price_fen,
        };
        let (answer, audit) = (
            request.clone(),
            Audit::on("catalogue.add_item", format!("region:{region}")),
        );
        self.change(actor, key, &request, audit, move |tx, now| {
            tx.insert_catalogue_item(&item, now)?;
            Ok((answer.clone(), format!("{{\"code\":\"{}\"}}", item.code)))
        })
    }

    pub fn set_medical_policy(
        &self,
        actor: &Actor,
        key: &str,
        region: &str,
        request: NewMedicalPolicy,
    ) -> Result<NewMedicalPolicy, AppError> {
        self.authorise(actor, Operation::ManageCatalogue)?;
        let region = region_code(region, "region")?;
        let valid = request.policy.annual_cap_fen >= 0
            && !request.policy.rules.is_empty()
            && request
                .policy
                .rules
                .iter()
                .all(|r| r.deductible_fen >= 0 && r.pool_ratio_ppm <= 1_000_000)
            && request
                .policy
                .supplementary
                .as_ref()
                .is_none_or(|f| f.annual_cap_fen >= 0 && f.ratio_ppm <= 1_000_000);
        if !valid {
            return Err(AppError::invalid(
                "policy",
                "a cap and rules with deductibles ≥ 0 and ratios ≤ 1000000 ppm",
            ));
        }
        let body =
            serde_json::to_string(&request.policy).map_err(AppError::failed("encoding JSON"))?;
        let (answer, label) = (request.clone(), actor.label());
        let audit = Audit::on("medical.set_policy", format!("region:{region}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            known_region(tx, &region)?;
            tx.insert_medical_policy(&region, i64::from(answer.year), &body, &label, now)?;
            Ok((answer.clone(), body.clone()))
        })
    }

    /// The catalogue items of the cashier's institution's region in force today whose code
    /// or name contains `text` (1 to [`CATALOGUE_SEARCH_TEXT_MAX`] characters, in any case),
    /// by code, at most [`CATALOGUE_SEARCH_MAX`].
    pub fn search_catalogue(
        &self,
        actor: &Actor,
        text: &str,
    ) -> Result<Vec<CatalogueItemView>, AppError> {
        self.authorise(actor, Operation::Settle)?;
        let text = text.trim().to_owned();
        if text.is_empty() || text.chars().count() > CATALOGUE_SEARCH_TEXT_MAX {
            return Err(AppError::invalid("q", "1 to 40 characters"));
        }
        self.read_counter_catalogue(actor, move |tx, region, today| {
            let items = tx.search_catalogue(region, &text, today, CATALOGUE_SEARCH_MAX)?;
            Ok(items
                .into_iter()
                .map(|item| CatalogueItemView {
                    code: item.code,
                    name: item.name,
                    class: item.class,
                    first_share_ppm: item.first_share_ppm,
                    limit_price_fen: item.limit_price_fen,
                    effective_from: item.effective_from.to_string(),
                })
                .collect())
        })
    }
}

/// Most items one catalogue search answers.
pub const CATALOGUE_SEARCH_MAX: usize = 20;
/// Most characters a catalogue search looks for.
pub const CATALOGUE_SEARCH_TEXT_MAX: usize = 40;
