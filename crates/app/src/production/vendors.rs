//! Vendors, their credentials and products, and the changes that make a product's revisions.

use shebao_domain::access::Operation;
use shebao_domain::person::identity::SocialCreditCode;
use shebao_domain::production::{
    Credential, CredentialKind, NAME_CHARS_MAX, ProductChange, ProductTerms, text,
};
use shebao_store::tx::PRODUCTION_LISTED_MAX;
use shebao_store::{
    CardProductRecord, CardVendorRecord, ProductChangeRecord, Tx, VendorCredentialRecord,
};

use super::{
    CredentialView, NewCardProduct, NewCardVendor, NewCredential, ProductChangeRequest,
    ProductChangeView, ProductView, VendorView, date, product_for, production_error,
    reads_every_vendor, standing_view, terms_of, vendor_for, vendor_in_scope,
};
use crate::error::{Clash, OrNotFound};
use crate::vault::Vault;
use crate::{Actor, App, AppError, Audit, new_id};

/// The sealing context of a vendor's contact.
const CONTACT: &str = "card_vendors.contact";

/// A contact as the auditor sees it: its first character, the rest starred.
fn masked(contact: &str) -> String {
    let mut chars = contact.chars();
    let first: String = chars.next().into_iter().collect();
    format!("{first}{}", "*".repeat(chars.count().min(8)))
}

/// The vendor, its contact in clear only when `clear` (a read by the desk or the vendor's
/// own staff): standing on its region's day `today`.
fn vendor_view(
    tx: &mut Tx<'_>,
    vault: &Vault,
    clear: bool,
    vendor: &CardVendorRecord,
    today: shebao_domain::time::Date,
) -> Result<VendorView, AppError> {
    let records = tx.vendor_credentials(&vendor.id, PRODUCTION_LISTED_MAX)?;
    let standing = shebao_domain::production::Standing::of(&super::credentials(&records));
    let contact = vault
        .open(CONTACT, &vendor.contact_cipher)
        .map_err(AppError::failed("opening a vendor's contact"))?;
    let contact = if clear { contact } else { masked(&contact) };
    Ok(VendorView {
        id: vendor.id.clone(),
        credit_code: vendor.credit_code.clone(),
        name: vendor.name.clone(),
        region: vendor.region.as_str().to_owned(),
        contact,
        registered_at: vendor.registered_at.to_string(),
        standing: standing_view(&standing, today),
        credentials: records
            .iter()
            .map(|r| CredentialView {
                kind: r.kind.clone(),
                number: r.number.clone(),
                issued_on: r.issued_on.to_string(),
                valid_until: r.valid_until.to_string(),
            })
            .collect(),
    })
}

/// Whether a reader sees a vendor's contact in clear: the desk and the vendor's own staff
/// (the auditor reads it masked).
fn clear_contact(actor: &Actor) -> bool {
    actor.role != shebao_domain::access::Role::Auditor
}

fn product_view(tx: &mut Tx<'_>, product: &CardProductRecord) -> Result<ProductView, AppError> {
    let changes = tx.product_changes(&product.id, PRODUCTION_LISTED_MAX)?;
    Ok(ProductView {
        id: product.id.clone(),
        vendor_id: product.vendor_id.clone(),
        name: product.name.clone(),
        generation: product.generation.clone(),
        chip: product.chip.clone(),
        operating_system: product.operating_system.clone(),
        face_design: product.face_design.clone(),
        face_version: product.face_version.clone(),
        file_structure_version: product.file_structure_version.clone(),
        revision: product.revision,
        registered_at: product.registered_at.to_string(),
        changes: changes
            .into_iter()
            .map(|c| ProductChangeView {
                revision: c.revision,
                what: c.what,
                old_value: c.old_value,
                new_value: c.new_value,
                note: c.note,
                changed_at: c.changed_at.to_string(),
            })
            .collect(),
    })
}

impl App {
    /// The production desk registers a card vendor, once per credit code.
    pub fn register_card_vendor(
        &self,
        actor: &Actor,
        key: &str,
        request: NewCardVendor,
    ) -> Result<VendorView, AppError> {
        self.authorise(actor, Operation::ManageCardVendors)?;
        let code =
            SocialCreditCode::parse(&request.credit_code).map_err(|error| AppError::Identity {
                field: "credit_code",
                error,
            })?;
        let name = text(&request.name, "name", NAME_CHARS_MAX).map_err(production_error)?;
        let contact =
            text(&request.contact, "contact", NAME_CHARS_MAX).map_err(production_error)?;
        let region = super::region(&request.region)?;
        let contact_cipher = self
            .vault
            .seal(CONTACT, &contact)
            .map_err(AppError::failed("sealing a vendor's contact"))?;
        let (id, label, vault) = (new_id("cvn"), actor.label(), self.vault.clone());
        let audit = Audit::creating("production.vendor.register", format!("vendor:{id}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            tx.region(&region)?.or_not_found("region", &region)?;
            if tx.card_vendor_by_code(code.as_str())?.is_some() {
                return Err(AppError::Conflict(Clash::VendorRegistered));
            }
            let record = CardVendorRecord {
                id: id.clone(),
                credit_code: code.as_str().to_owned(),
                name: name.clone(),
                region: region.clone(),
                contact_cipher: contact_cipher.clone(),
                registered_by: label.clone(),
                registered_at: now,
            };
            tx.insert_card_vendor(&record)?;
            let today = App::today_in(tx, &region, now)?;
            let view = vendor_view(tx, &vault, false, &record, today)?;
            let detail = serde_json::json!({ "vendor": record.id, "region": region.as_str() });
            Ok((view, detail.to_string()))
        })
    }

    /// The registered vendors by name, each with its standing today.
    pub fn card_vendors(&self, actor: &Actor) -> Result<Vec<VendorView>, AppError> {
        self.authorise(actor, Operation::ReadProduction)?;
        if !reads_every_vendor(actor) {
            return Err(self.deny(actor, Operation::ReadProduction, "vendors"));
        }
        self.read_for(actor, Operation::ReadProduction, "vendors", |tx, r| {
            let vendors = tx.card_vendors(PRODUCTION_LISTED_MAX)?;
            vendors
                .iter()
                .map(|vendor| {
                    let today = App::today_in(tx, &vendor.region, r.now)?;
                    vendor_view(tx, &r.vault, clear_contact(&r.actor), vendor, today)
                })
                .collect()
        })
    }

    /// One vendor with its credentials and standing: the desk and the auditor any, the
    /// vendor's staff their own.
    pub fn card_vendor(&self, actor: &Actor, vendor: &str) -> Result<VendorView, AppError> {
        self.authorise(actor, Operation::ReadProduction)?;
        let id = vendor.to_owned();
        let subject = format!("vendor:{id}");
        self.read_for(actor, Operation::ReadProduction, &subject, move |tx, r| {
            let vendor = vendor_for(tx, &r.actor, &id)?;
            let today = App::today_in(tx, &vendor.region, r.now)?;
            vendor_view(tx, &r.vault, clear_contact(&r.actor), &vendor, today)
        })
    }

    /// The desk records a vendor's licence, attestation or PSAM filing (a renewal is a new
    /// record; the longest valid of a kind counts).
    pub fn record_vendor_credential(
        &self,
        actor: &Actor,
        key: &str,
        vendor: &str,
        request: NewCredential,
    ) -> Result<VendorView, AppError> {
        self.authorise(actor, Operation::ManageCardVendors)?;
        let kind = CredentialKind::parse(request.kind.trim()).ok_or_else(|| {
            AppError::invalid(
                "kind",
                "card_production, bank_card, commercial_cryptography, secure_environment or psam_filing",
            )
        })?;
        let issued_on = date(&request.issued_on, "issued_on")?;
        let valid_until = date(&request.valid_until, "valid_until")?;
        let (id, label, vendor_id, vault) = (
            new_id("vcr"),
            actor.label(),
            vendor.to_owned(),
            self.vault.clone(),
        );
        let body = request.clone();
        let audit = Audit::on("production.vendor.credential", format!("vendor:{vendor}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let vendor = tx
                .card_vendor(&vendor_id)?
                .or_not_found("card vendor", &vendor_id)?;
            let today = App::today_in(tx, &vendor.region, now)?;
            let Credential {
                number,
                issued_on,
                valid_until,
                ..
            } = Credential::check(kind, &body.number, issued_on, valid_until, today)
                .map_err(production_error)?;
            let seq = tx.vendor_credentials_recorded(&vendor.id)? + 1;
            tx.insert_vendor_credential(&VendorCredentialRecord {
                seq,
                id: id.clone(),
                vendor_id: vendor.id.clone(),
                kind: kind.as_str().to_owned(),
                number,
                issued_on,
                valid_until,
                recorded_by: label.clone(),
                recorded_at: now,
            })?;
            let view = vendor_view(tx, &vault, false, &vendor, today)?;
            let detail = serde_json::json!({
                "credential_kind": kind.as_str(), "valid_until": valid_until.to_string(),
            });
            Ok((view, detail.to_string()))
        })
    }

    /// The desk registers a vendor's product at revision 1.
    pub fn register_card_product(
        &self,
        actor: &Actor,
        key: &str,
        vendor: &str,
        request: NewCardProduct,
    ) -> Result<ProductView, AppError> {
        self.authorise(actor, Operation::ManageCardVendors)?;
        let terms = ProductTerms {
            name: request.name.clone(),
            generation: request.generation.clone(),
            chip: request.chip.clone(),
            operating_system: request.operating_system.clone(),
            face_design: request.face_design.clone(),
            face_version: request.face_version.clone(),
            file_structure_version: request.file_structure_version.clone(),
        }
        .check()
        .map_err(production_error)?;
        let (id, label, vendor_id) = (new_id("cpr"), actor.label(), vendor.to_owned());
        let audit = Audit::creating("production.product.register", format!("product:{id}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let vendor = tx
                .card_vendor(&vendor_id)?
                .or_not_found("card vendor", &vendor_id)?;
            let record = CardProductRecord {
                id: id.clone(),
                vendor_id: vendor.id.clone(),
                name: terms.name.clone(),
                generation: terms.generation.clone(),
                chip: terms.chip.clone(),
                operating_system: terms.operating_system.clone(),
                face_design: terms.face_design.clone(),
                face_version: terms.face_version.clone(),
                file_structure_version: terms.file_structure_version.clone(),
                revision: 1,
                registered_by: label.clone(),
                registered_at: now,
                version: 0,
            };
            tx.insert_card_product(&record)?;
            let detail = serde_json::json!({ "product": record.id, "vendor": vendor.id });
            Ok((product_view(tx, &record)?, detail.to_string()))
        })
    }

    /// A vendor's products: the desk and the auditor any vendor's, the vendor's staff their
    /// own.
    pub fn card_products(&self, actor: &Actor, vendor: &str) -> Result<Vec<ProductView>, AppError> {
        self.authorise(actor, Operation::ReadProduction)?;
        self.visible_or_hidden(
            reads_every_vendor(actor) || vendor_in_scope(actor, vendor),
            actor,
            Operation::ReadProduction,
            ("vendor", &vendor),
        )?;
        let id = vendor.to_owned();
        self.store.read(move |tx| {
            tx.card_vendor(&id)?.or_not_found("card vendor", &id)?;
            let products = tx.card_products_of(&id, PRODUCTION_LISTED_MAX)?;
            products.iter().map(|p| product_view(tx, p)).collect()
        })
    }

    /// The desk records a change of a product's chip, operating system, card face or file
    /// structure: a new revision, so the gate is closed again in every region until the new
    /// revision passes it.
    pub fn change_card_product(
        &self,
        actor: &Actor,
        key: &str,
        product: &str,
        request: ProductChangeRequest,
    ) -> Result<ProductView, AppError> {
        self.authorise(actor, Operation::ManageCardVendors)?;
        let what = ProductChange::parse(request.what.trim()).ok_or_else(|| {
            AppError::invalid(
                "what",
                "chip, operating_system, card_face or file_structure",
            )
        })?;
        let note = text(&request.note, "note", 500).map_err(production_error)?;
        let (label, product_id, value) = (actor.label(), product.to_owned(), request.value.clone());
        let audit = Audit::on("production.product.change", format!("product:{product}"));
        self.change(actor, key, &request, audit, move |tx, now| {
            let mut product = tx
                .card_product(&product_id)?
                .or_not_found("card product", &product_id)?;
            let before = terms_of(&product);
            let after = before.change(what, &value).map_err(production_error)?;
            let change = ProductChangeRecord {
                product_id: product.id.clone(),
                revision: product.revision + 1,
                what: what.as_str().to_owned(),
                old_value: before.value_of(what).to_owned(),
                new_value: after.value_of(what).to_owned(),
                note: note.clone(),
                changed_by: label.clone(),
                changed_at: now,
            };
            product.chip = after.chip;
            product.operating_system = after.operating_system;
            product.face_version = after.face_version;
            product.file_structure_version = after.file_structure_version;
            product.revision += 1;
            tx.save_card_product(&product)?;
            tx.insert_product_change(&change)?;
            product.version += 1;
            let detail = serde_json::json!({
                "product": product.id, "revision": product.revision, "change": what.as_str(),
            });
            Ok((product_view(tx, &product)?, detail.to_string()))
        })
    }

    /// A product the actor may read (for the gate's pages).
    pub fn card_product(&self, actor: &Actor, product: &str) -> Result<ProductView, AppError> {
        self.authorise(actor, Operation::ReadProduction)?;
        let id = product.to_owned();
        let subject = format!("product:{id}");
        self.read_for(actor, Operation::ReadProduction, &subject, move |tx, r| {
            let product = product_for(tx, &r.actor, &id)?;
            product_view(tx, &product)
        })
    }
}
