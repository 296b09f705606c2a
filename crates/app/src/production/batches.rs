//! Production batches (item 4): the desk groups a region's applied cards for a vendor's
//! product whose gate is passed (the refusal names the missing step), which moves them into
//! production; the vendor reports each card produced or failed (a failed card is applied
//! again and waits for the next batch) and ships the batch once every card is reported.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use shebao_domain::access::{Operation, Role};
use shebao_domain::production::batch::{BATCH_CARDS_MAX, BatchStatus, CardResult, RESULTS_MAX};
use shebao_store::tx::PRODUCTION_LISTED_MAX;
use shebao_store::{BatchCardRecord, ProductionBatchRecord, Tx};

use super::gate::production_allowed;
use super::{production_error, reads_every_vendor, vendor_in_scope};
use crate::error::{OrNotFound, RefusalCode, rule};
use crate::reference::known_region;
use crate::{Actor, App, AppError, Audit, new_id};

/// The most cards one page of a batch's cards answers.
pub const BATCH_CARDS_PAGE: i64 = 1_000;

/// A batch the desk makes: up to `cards` of the region's applied cards, oldest first.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewBatch {
    pub product: String,
    #[schemars(regex(pattern = r"^[0-9]{6}$"))]
    pub region: String,
    #[schemars(range(min = 1, max = BATCH_CARDS_MAX))]
    pub cards: u32,
}

/// One card's result as the vendor reports it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CardResultBody {
    #[schemars(regex(pattern = shebao_domain::person::identity::CARD_IDENTIFICATION_CODE_PATTERN))]
    pub identification_code: String,
    #[schemars(extend("enum" = ["produced", "failed"]))]
    pub outcome: String,
    /// Why it failed (1 to 200 characters); none when produced.
    #[serde(default)]
    #[schemars(length(max = 200))]
    pub reason: Option<String>,
}

/// The vendor's report of some of a batch's cards, each once.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResultsReport {
    #[schemars(length(min = 1, max = RESULTS_MAX))]
    pub results: Vec<CardResultBody>,
}

/// Which page of a batch's cards: those after place `after`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchCardsQuery {
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub after: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "ProductionBatch")]
pub struct BatchView {
    pub id: String,
    pub vendor_id: String,
    pub product_id: String,
    /// The product's name.
    pub product: String,
    pub revision: i64,
    pub region: String,
    /// `closed` when every card failed: nothing was shipped.
    #[schemars(extend("enum" = ["open", "shipped", "closed"]))]
    pub status: String,
    pub cards: i64,
    pub queued: i64,
    pub produced: i64,
    pub failed: i64,
    pub created_at: String,
    pub shipped_at: Option<String>,
    /// How many sealed parts its personalisation file has, once generated.
    pub file_parts: Option<i64>,
}

/// A card of a batch: its numbers (no personal data) and its result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BatchCardView {
    pub seq: i64,
    pub card_id: String,
    pub card_number: String,
    pub identification_code: String,
    #[schemars(extend("enum" = ["queued", "produced", "failed"]))]
    pub status: String,
    pub reason: Option<String>,
}

fn batch_view(tx: &mut Tx<'_>, batch: &ProductionBatchRecord) -> Result<BatchView, AppError> {
    let product = product_name(tx, &batch.product_id)?;
    batch_view_named(tx, batch, product)
}

/// A product's name (empty when it is gone).
fn product_name(tx: &mut Tx<'_>, product: &str) -> Result<String, AppError> {
    Ok(tx
        .card_product(product)?
        .map(|p| p.name)
        .unwrap_or_default())
}

/// The batch as shown, its product's name already read.
fn batch_view_named(
    tx: &mut Tx<'_>,
    batch: &ProductionBatchRecord,
    product: String,
) -> Result<BatchView, AppError> {
    let counts = tx.batch_counts(&batch.id)?;
    Ok(BatchView {
        id: batch.id.clone(),
        vendor_id: batch.vendor_id.clone(),
        product_id: batch.product_id.clone(),
        product,
        revision: batch.revision,
        region: batch.region.as_str().to_owned(),
        status: batch.status.clone(),
        cards: batch.cards,
        queued: counts.queued,
        produced: counts.produced,
        failed: counts.failed,
        created_at: batch.created_at.to_string(),
        shipped_at: batch.shipped_at.map(|t| t.to_string()),
        file_parts: tx.personalisation_file_parts(&batch.id)?,
    })
}

/// A batch the actor may read (the desk and the auditor any, a vendor its own), or hidden.
pub(super) fn batch_for(
    tx: &mut Tx<'_>,
    actor: &Actor,
    id: &str,
) -> Result<ProductionBatchRecord, AppError> {
    let batch = tx
        .production_batch(id)?
        .ok_or_else(|| AppError::NotFound(format!("production batch {id}")))?;
    if !reads_every_vendor(actor) && !vendor_in_scope(actor, &batch.vendor_id) {
        return Err(AppError::Hidden(format!("production batch {id}")));
    }
    Ok(batch)
}

/// The vendor's own batch for a report or the shipment; another's hidden.
fn own_batch(tx: &mut Tx<'_>, actor: &Actor, id: &str) -> Result<ProductionBatchRecord, AppError> {
    let batch = tx.production_batch(id)?;
    match batch {
        Some(batch) if vendor_in_scope(actor, &batch.vendor_id) => Ok(batch),
        _ => Err(AppError::Hidden(format!("production batch {id}"))),
    }
}

impl App {
    /// The desk makes a batch of up to `cards` of the region's applied cards for a product
    /// whose vendor may produce and whose current revision passed the region's gate; the
    /// cards go into production.
    pub fn create_production_batch(
        &self,
        actor: &Actor,
        key: &str,
        request: NewBatch,
    ) -> Result<BatchView, AppError> {
        self.authorise(actor, Operation::ManageBatches)?;
        let region = super::region(&request.region)?;
        if !(1..=BATCH_CARDS_MAX).contains(&request.cards) {
            return Err(AppError::invalid("cards", "1 to 100000 cards"));
        }
        let (id, label, product_id) = (new_id("pbt"), actor.label(), request.product.clone());
        let limit = i64::from(request.cards);
        let audit = Audit::creating("production.batch.create", format!("batch:{id}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let product = tx
                .card_product(&product_id)?
                .or_not_found("card product", &product_id)?;
            known_region(tx, &region)?;
            let today = App::today_in(tx, &region, now)?;
            production_allowed(tx, &product, &region, today)?;
            let cards = tx.applied_cards_waiting(&region, limit)?;
            if cards == 0 {
                return Err(rule(
                    RefusalCode::WrongState,
                    format!("no applied card with its bank card number waits in region {region}"),
                ));
            }
            let saved = ProductionBatchRecord {
                id: id.clone(),
                vendor_id: product.vendor_id.clone(),
                product_id: product.id.clone(),
                revision: product.revision,
                region: region.clone(),
                status: BatchStatus::Open.as_str().to_owned(),
                cards,
                created_by: label.clone(),
                created_at: now,
                shipped_by: None,
                shipped_at: None,
                version: 0,
            };
            tx.insert_production_batch(&saved)?;
            // Set-based: the cards counted above (the writer's transaction holds them), queued
            // in the batch and moved from applied into production, as `Card::start_production`
            // would move each.
            let queued = tx.queue_applied_cards(&id, &region, limit)?;
            let started = tx.start_batch_production(&id)?;
            if i64::try_from(queued).ok() != Some(cards) || started != queued {
                return Err(AppError::Internal(format!(
                    "{cards} cards waiting, {queued} queued, {started} moved into production"
                )));
            }
            let detail = serde_json::json!({
                "batch": id, "product": product.id, "region": region.as_str(), "cards": cards,
            });
            Ok((batch_view(tx, &saved)?, detail.to_string()))
        })
    }

    /// The batches, newest first: the desk's and the auditor's all, a vendor's its own.
    pub fn production_batches(&self, actor: &Actor) -> Result<Vec<BatchView>, AppError> {
        self.authorise(actor, Operation::ReadProduction)?;
        let actor_in = actor.clone();
        self.store.read(move |tx| {
            let batches = if reads_every_vendor(&actor_in) {
                tx.production_batches(PRODUCTION_LISTED_MAX)?
            } else if actor_in.role == Role::CardVendor {
                let vendor = actor_in.scope.vendor_id.clone().unwrap_or_default();
                tx.production_batches_of(&vendor, PRODUCTION_LISTED_MAX)?
            } else {
                Vec::new()
            };
            // A list names few products: each read once.
            let mut names: std::collections::HashMap<String, String> =
                std::collections::HashMap::new();
            let mut views = Vec::with_capacity(batches.len());
            for batch in &batches {
                let name = match names.get(&batch.product_id) {
                    Some(name) => name.clone(),
                    None => {
                        let name = product_name(tx, &batch.product_id)?;
                        names.insert(batch.product_id.clone(), name.clone());
                        name
                    }
                };
                views.push(batch_view_named(tx, batch, name)?);
            }
            Ok(views)
        })
    }

    /// One batch with its counts.
    pub fn production_batch(&self, actor: &Actor, batch: &str) -> Result<BatchView, AppError> {
        self.authorise(actor, Operation::ReadProduction)?;
        let id = batch.to_owned();
        let subject = format!("batch:{id}");
        self.read_for(actor, Operation::ReadProduction, &subject, move |tx, r| {
            let batch = batch_for(tx, &r.actor, &id)?;
            batch_view(tx, &batch)
        })
    }

    /// A page of a batch's cards, in their order: numbers and results, no personal data.
    pub fn production_batch_cards(
        &self,
        actor: &Actor,
        batch: &str,
        query: BatchCardsQuery,
    ) -> Result<Vec<BatchCardView>, AppError> {
        self.authorise(actor, Operation::ReadProduction)?;
        let id = batch.to_owned();
        let subject = format!("batch:{id}");
        self.read_for(actor, Operation::ReadProduction, &subject, move |tx, r| {
            let batch = batch_for(tx, &r.actor, &id)?;
            let after = query.after.max(0);
            let rows = tx.batch_cards(&batch.id, after, BATCH_CARDS_PAGE)?;
            // The page's cards in one read, not one a row.
            let cards: std::collections::HashMap<String, shebao_domain::card::Card> = tx
                .cards_of_batch(&batch.id, after, BATCH_CARDS_PAGE)?
                .into_iter()
                .map(|card| (card.id.as_str().to_owned(), card))
                .collect();
            let mut views = Vec::with_capacity(rows.len());
            for row in rows {
                let card = cards
                    .get(&row.card_id)
                    .ok_or_else(|| AppError::Internal(format!("card {}", row.card_id)))?;
                views.push(BatchCardView {
                    seq: row.seq,
                    card_id: row.card_id,
                    card_number: card.card_number.as_str().to_owned(),
                    identification_code: card.identification_code.as_str().to_owned(),
                    status: row.status,
                    reason: row.reason,
                });
            }
            Ok(views)
        })
    }

    /// The vendor reports cards of its own open batch, each once: produced, or failed with
    /// the reason (the card is applied again and waits for the next batch). All or none.
    pub fn report_production_results(
        &self,
        actor: &Actor,
        key: &str,
        batch: &str,
        request: ResultsReport,
    ) -> Result<BatchView, AppError> {
        self.authorise(actor, Operation::ReportProduction)?;
        if request.results.is_empty() || request.results.len() > RESULTS_MAX {
            return Err(AppError::invalid("results", "1 to 5000 results"));
        }
        let mut outcomes = Vec::with_capacity(request.results.len());
        for result in &request.results {
            let outcome = match result.outcome.trim() {
                "produced" => CardResult::Produced,
                "failed" => CardResult::Failed,
                _ => return Err(AppError::invalid("outcome", "produced or failed")),
            };
            outcomes.push((
                result.identification_code.trim().to_uppercase(),
                outcome,
                result.reason.clone(),
            ));
        }
        let (id, label, actor_in) = (batch.to_owned(), actor.label(), actor.clone());
        let audit = Audit::on("production.batch.report", format!("batch:{batch}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let batch = own_batch(tx, &actor_in, &id)?;
            if batch.status != BatchStatus::Open.as_str() {
                return Err(rule(RefusalCode::WrongState, "the batch is shipped"));
            }
            if tx.personalisation_file(&batch.id)?.is_none() {
                return Err(rule(
                    RefusalCode::WrongState,
                    "the batch's personalisation file is not generated yet: nothing was made",
                ));
            }
            let (mut produced, mut failed) = (0_i64, 0_i64);
            for (code, outcome, reason) in &outcomes {
                let card = tx.card_by_identification_code(code)?;
                let row = match &card {
                    Some(card) => tx.batch_card(&batch.id, card.id.as_str())?,
                    None => None,
                };
                let (Some(card), Some(row)) = (card, row) else {
                    return Err(AppError::invalid(
                        "identification_code",
                        format!("{code} is not a card of this batch"),
                    ));
                };
                let current = CardResult::parse(&row.status)
                    .ok_or_else(|| AppError::Internal("batch card status".into()))?;
                let (result, reason) = current
                    .report(*outcome, reason.as_deref())
                    .map_err(production_error)?;
                tx.save_batch_card_result(&BatchCardRecord {
                    status: result.as_str().to_owned(),
                    reason,
                    reported_by: Some(label.clone()),
                    reported_at: Some(now),
                    ..row
                })?;
                if result == CardResult::Failed {
                    // Applied again for the next batch, unless the card left production
                    // meanwhile (cancelled): then it only counts as failed here.
                    if card.status == shebao_domain::card::CardStatus::InProduction {
                        tx.update_card(&card.production_failed()?)?;
                    }
                    failed += 1;
                } else {
                    produced += 1;
                }
            }
            let detail = serde_json::json!({ "produced": produced, "failed_cards": failed });
            Ok((batch_view(tx, &batch)?, detail.to_string()))
        })
    }

    /// The vendor ships its own batch once every card is reported (closes it, when every card
    /// failed).
    pub fn ship_production_batch(
        &self,
        actor: &Actor,
        key: &str,
        batch: &str,
    ) -> Result<BatchView, AppError> {
        self.authorise(actor, Operation::ReportProduction)?;
        let (id, label, actor_in) = (batch.to_owned(), actor.label(), actor.clone());
        let audit = Audit::on("production.batch.ship", format!("batch:{batch}"));
        self.change(actor, key, &serde_json::json!({}), audit, move |tx, now| {
            let mut batch = own_batch(tx, &actor_in, &id)?;
            let counts = tx.batch_counts(&batch.id)?;
            let status = BatchStatus::parse(&batch.status)
                .ok_or_else(|| AppError::Internal("batch status".into()))?
                .ship(counts.queued, counts.produced)
                .map_err(production_error)?;
            batch.status = status.as_str().to_owned();
            batch.shipped_by = Some(label.clone());
            batch.shipped_at = Some(now);
            tx.save_production_batch(&batch)?;
            let shipments = if status == BatchStatus::Shipped {
                super::distribution::send_to_points(tx, &batch, counts.produced, now)?
            } else {
                Vec::new()
            };
            batch.version += 1;
            // Each shipment as `point:cards`.
            let sent: Vec<String> = shipments
                .iter()
                .map(|(point, cards)| format!("{point}:{cards}"))
                .collect();
            let detail = serde_json::json!({
                "produced": counts.produced, "status": status.as_str(), "shipments": sent.join(","),
            });
            Ok((batch_view(tx, &batch)?, detail.to_string()))
        })
    }
}
