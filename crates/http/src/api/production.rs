//! Card production: vendors, their credentials and products, the gate of a product in a
//! region (approvals, test cards, audits), the region's master keys by id, batches and their
//! personalisation files, and distribution (pick-up points and holders' choices of them,
//! shipments, notices, the SMS outbox, instant issuance at equipped branches).

use shebao_app::production::{
    BatchCardView, BatchCardsQuery, BatchView, GateQuery, GateView, KeyQuery, MasterKeyView,
    NewBatch, NewCardProduct, NewCardVendor, NewCredential, NewGateApproval, NewMasterKey,
    NewTestCard, NewTestCardAudit, ProductChangeRequest, ProductView, ResultsReport, VendorView,
};
use shebao_app::production::{
    CollectionPointView, Destruction, DestructionView, FileView, InstantIssueReport,
    InstantIssueView, IssuanceDeviceView, MailChoice, MailPosting, MailQueueView, MailReport,
    MailView, NewIssuanceDevice, NewPickupPoint, NewSealingKey, NotificationsView, OutboxView,
    PartView, PointChoice, PointQuery, PointShipmentsView, PointView, RecallView, RecalledView,
    SealingKeyView, ShipmentReceipt, ShipmentView, SigningKeyView, SmsSent, UncollectedView,
};

use super::kinds::{Json, NoBody, NoQuery, Query};
use super::{Entry, In, codes, entry, operations};

pub(crate) const OPERATIONS: &[Entry] = &[
    entry(RegisterCardVendor),
    entry(ListCardVendors),
    entry(GetCardVendor),
    entry(RecordVendorCredential),
    entry(RegisterCardProduct),
    entry(VendorCardProducts),
    entry(GetCardProduct),
    entry(ChangeCardProduct),
    entry(ProductionGate),
    entry(RecordGateApproval),
    entry(SubmitTestCard),
    entry(RecordTestCardAudit),
    entry(ListCardKeys),
    entry(CreateCardKey),
    entry(CreateProductionBatch),
    entry(ListProductionBatches),
    entry(GetProductionBatch),
    entry(ProductionBatchCards),
    entry(ReportProductionResults),
    entry(ShipProductionBatch),
    entry(RegisterSealingKey),
    entry(GetSealingKey),
    entry(ProductionSigningKey),
    entry(GeneratePersonalisationFile),
    entry(GetPersonalisationFile),
    entry(GetPersonalisationPart),
    entry(RegisterPickupPoint),
    entry(ListPickupPoints),
    entry(PointShipments),
    entry(ReceiveShipment),
    entry(UncollectedCards),
    entry(RecallUncollected),
    entry(RecalledCards),
    entry(DestroyCards),
    entry(MyNotifications),
    entry(SmsOutbox),
    entry(MarkSmsSent),
    entry(ChooseCollectionPoint),
    entry(GetCollectionPoint),
    entry(ChooseMailDelivery),
    entry(MailQueue),
    entry(PostCard),
    entry(ReportMailDelivery),
    entry(RegisterIssuanceDevice),
    entry(IssueInstantly),
    entry(ReportInstantIssue),
];

operations! {
    tag: "production";

    /// Register a card vendor by its unified social credit code
    RegisterCardVendor: post "register_card_vendor" "/api/v1/card-vendors"
        .errors(&[
            "invalid_length", "invalid_character", "check_character_mismatch", "conflict",
        ]) {
        Needs(ManageCardVendors): register_card_vendor(key, body: NewCardVendor) -> Json<VendorView>
    }

    /// The registered card vendors by name, each with its standing today
    ListCardVendors: get "list_card_vendors" "/api/v1/card-vendors" {
        access: Needs(ReadProduction),
        types: (), NoQuery, NoBody => Json<Vec<VendorView>>,
        call: |app, actor, _input| Json(app.card_vendors(actor)?),
    }

    /// A card vendor with its credentials and whether it may produce today
    GetCardVendor: get "get_card_vendor" "/api/v1/card-vendors/{vendor}" {
        Needs(ReadProduction): card_vendor(vendor) -> Json<VendorView>
    }

    /// Record a vendor's licence, secure-environment attestation or PSAM filing (at most two
    /// years); a renewal is a new record
    RecordVendorCredential: post "record_vendor_credential"
        "/api/v1/card-vendors/{vendor}/credentials" {
        Needs(ManageCardVendors):
            record_vendor_credential(key, vendor, body: NewCredential) -> Json<VendorView>
    }

    /// Register a vendor's card product at revision 1
    RegisterCardProduct: post "register_card_product" "/api/v1/card-vendors/{vendor}/products" {
        Needs(ManageCardVendors):
            register_card_product(key, vendor, body: NewCardProduct) -> Json<ProductView>
    }

    /// A vendor's card products, oldest first
    VendorCardProducts: get "vendor_card_products" "/api/v1/card-vendors/{vendor}/products" {
        Needs(ReadProduction): card_products(vendor) -> Json<Vec<ProductView>>
    }

    /// A card product with its changes
    GetCardProduct: get "get_card_product" "/api/v1/card-products/{product}" {
        Needs(ReadProduction): card_product(product) -> Json<ProductView>
    }

    /// Record a change of a product's chip, operating system, card face or file structure: a
    /// new revision, whose gate is closed in every region until it passes again
    ChangeCardProduct: post "change_card_product" "/api/v1/card-products/{product}/changes"
        .errors(&["conflict"]) {
        Needs(ManageCardVendors):
            change_card_product(key, product, body: ProductChangeRequest) -> Json<ProductView>
    }

    /// The gate of a product's current revision in a region, and whether formal production
    /// may start
    ProductionGate: get "production_gate" "/api/v1/card-products/{product}/gate" {
        access: Needs(ReadProduction),
        types: (String,), Query<GateQuery>, NoBody => Json<GateView>,
        call: |app, actor, In { path: (product,), query: Query(query), .. }| {
            Json(app.production_gate(actor, &product, query)?)
        },
    }

    /// Record a ministry-side approval of the product's current revision in a region, once a
    /// step
    RecordGateApproval: post "record_gate_approval"
        "/api/v1/card-products/{product}/gate-approvals" .errors(&["conflict"]) {
        Needs(RecordGate):
            record_gate_approval(key, product, body: NewGateApproval) -> Json<GateView>
    }

    /// Record a test card one's own vendor made of the product's current revision for a
    /// region, until its gate is passed
    SubmitTestCard: post "submit_test_card" "/api/v1/card-products/{product}/test-cards"
        .errors(&["conflict", "wrong_state"]) {
        Needs(SubmitTestCard): submit_test_card(key, product, body: NewTestCard) -> Json<GateView>
    }

    /// Record one of a test card's three audits, once an audit; the universality test names
    /// its seven checks
    RecordTestCardAudit: post "record_test_card_audit" "/api/v1/test-cards/{test_card}/audits"
        .errors(&["conflict", "wrong_state"]) {
        Needs(RecordGate):
            record_test_card_audit(key, test_card, body: NewTestCardAudit) -> Json<GateView>
    }

    /// A region's master keys: ids, places in the hierarchy and check values, never a key
    ListCardKeys: get "list_card_keys" "/api/v1/card-keys" {
        access: Needs(ReadCardKeys),
        types: (), Query<KeyQuery>, NoBody => Json<Vec<MasterKeyView>>,
        call: |app, actor, In { query: Query(query), .. }| {
            Json(app.card_master_keys(actor, query)?)
        },
    }

    /// Create a region's master key of a purpose in the key store, or rotate it (the next
    /// version; the one before is retired)
    CreateCardKey: post "create_card_key" "/api/v1/card-keys" .errors(&["conflict"]) {
        Needs(ManageCardKeys): create_card_master_key(key, body: NewMasterKey) -> Json<MasterKeyView>
    }

    /// Group up to `cards` of a region's applied cards, the oldest application first, into a
    /// batch for a product whose vendor may produce and whose current revision passed the
    /// region's gate (the refusal names the missing step); the cards go into production
    CreateProductionBatch: post "create_production_batch" "/api/v1/production-batches"
        .errors(&["vendor_not_certified", "gate_not_passed", "wrong_state"]) {
        Needs(ManageBatches): create_production_batch(key, body: NewBatch) -> Json<BatchView>
    }

    /// The production batches, newest first: all for the desk and the auditor, a vendor's
    /// own for its staff
    ListProductionBatches: get "list_production_batches" "/api/v1/production-batches" {
        access: Needs(ReadProduction),
        types: (), NoQuery, NoBody => Json<Vec<BatchView>>,
        call: |app, actor, _input| Json(app.production_batches(actor)?),
    }

    /// A production batch with its cards counted by result
    GetProductionBatch: get "get_production_batch" "/api/v1/production-batches/{batch}" {
        Needs(ReadProduction): production_batch(batch) -> Json<BatchView>
    }

    /// A page of a batch's cards (up to 1,000 after place `after`): numbers and results, no
    /// personal data
    ProductionBatchCards: get "production_batch_cards" "/api/v1/production-batches/{batch}/cards" {
        access: Needs(ReadProduction),
        types: (String,), Query<BatchCardsQuery>, NoBody => Json<Vec<BatchCardView>>,
        call: |app, actor, In { path: (batch,), query: Query(query), .. }| {
            Json(app.production_batch_cards(actor, &batch, query)?)
        },
    }

    /// Report cards of one's own open batch produced or failed (with the reason), each once,
    /// all or none; a failed card is applied again and waits for the next batch
    ReportProductionResults: post "report_production_results"
        "/api/v1/production-batches/{batch}/results" .errors(&["wrong_state"])
        .body_limit(super::REPORT_BODY_LIMIT_BYTES) {
        Needs(ReportProduction):
            report_production_results(key, batch, body: ResultsReport) -> Json<BatchView>
    }

    /// Ship one's own batch once every card is reported (a batch whose every card failed is
    /// closed instead)
    ShipProductionBatch: post "ship_production_batch"
        "/api/v1/production-batches/{batch}/ship" .errors(&["wrong_state"]) {
        Needs(ReportProduction): ship_production_batch(key, batch) -> Json<BatchView>
    }

    /// Register one's own vendor's X25519 key for sealing its personalisation files; it
    /// retires the one before (files sealed to it stay so)
    RegisterSealingKey: post "register_sealing_key" "/api/v1/sealing-keys"
        .errors(&["conflict"]) {
        Needs(RegisterSealingKey): register_sealing_key(key, body: NewSealingKey) -> Json<SealingKeyView>
    }

    /// A vendor's active sealing key (public)
    GetSealingKey: get "get_sealing_key" "/api/v1/card-vendors/{vendor}/sealing-key" {
        Needs(ReadProduction): sealing_key(vendor) -> Json<SealingKeyView>
    }

    /// The bureau's Ed25519 key that signs personalisation manifests (public)
    ProductionSigningKey: get "production_signing_key" "/api/v1/production-signing-key" {
        access: Needs(ReadProduction),
        types: (), NoQuery, NoBody => Json<SigningKeyView>,
        call: |app, actor, _input| Json(app.production_signing_key(actor)?),
    }

    /// Generate an open batch's personalisation file, once: every card still in production
    /// sealed to the vendor's key in parts of 1,000 with its own keys, and the manifest of
    /// the parts' digests signed by the bureau
    GeneratePersonalisationFile: post "generate_personalisation_file"
        "/api/v1/production-batches/{batch}/file"
        .errors(&["sealing_key_missing", "master_key_missing", "wrong_state", "conflict"]) {
        access: Needs(ManageBatches),
        types: (String,), NoQuery, NoBody => Json<FileView>,
        call: |app, actor, In { path: (batch,), key, .. }| {
            Json(app.generate_personalisation_file(actor, &key, &batch, &mut |_, _| {})?)
        },
    }

    /// A batch's personalisation file: the signed manifest and its signature
    GetPersonalisationFile: get "get_personalisation_file"
        "/api/v1/production-batches/{batch}/file" {
        Needs(ReadProduction): personalisation_file(batch) -> Json<FileView>
    }

    /// One sealed part of one's own batch's personalisation file (each download audited)
    GetPersonalisationPart: get "get_personalisation_part"
        "/api/v1/production-batches/{batch}/file/parts/{part}" {
        access: Needs(DownloadPersonalisation),
        types: (String, String), NoQuery, NoBody => Json<PartView>,
        call: |app, actor, In { path: (batch, part), .. }| {
            Json(app.personalisation_part(actor, &batch, &part)?)
        },
    }

    /// Register a region's pick-up point: a bank branch (its tellers hand cards over) or a
    /// service centre of the bureau (its clerks), with opening hours and capacity; at most
    /// one default point a region, where its cards go
    RegisterPickupPoint: post "register_pickup_point" "/api/v1/pickup-points"
        .errors(&["conflict"]) {
        Needs(ManageDistribution): register_pickup_point(key, body: NewPickupPoint) -> Json<PointView>
    }

    /// A region's pick-up points, with the cards waiting at each
    ListPickupPoints: get "list_pickup_points" "/api/v1/pickup-points" {
        access: Needs(ReadPickupPoints),
        types: (), Query<PointQuery>, NoBody => Json<Vec<PointView>>,
        call: |app, actor, In { query: Query(query), .. }| Json(app.pickup_points(actor, query)?),
    }

    /// A point's shipments, newest first (its staff, the desk, the auditor)
    PointShipments: get "point_shipments" "/api/v1/pickup-points/{point}/shipments" {
        Needs(ReadDistribution): point_shipments(point) -> Json<PointShipmentsView>
    }

    /// Count a shipment at one's own point, once: the cards counted and those missing (by
    /// identification code) account for every card sent; each card counted is ready for
    /// collection and its holder told, each missing one is cancelled and applied for again
    /// under new numbers
    ReceiveShipment: post "receive_shipment" "/api/v1/shipments/{shipment}/receipt"
        .errors(&["wrong_state"]) .body_limit(super::REPORT_BODY_LIMIT_BYTES) {
        Needs(ReceiveShipment):
            receive_shipment(key, shipment, body: ShipmentReceipt) -> Json<ShipmentView>
    }

    /// The cards waiting at a point past the region's period, oldest first
    UncollectedCards: get "uncollected_cards" "/api/v1/pickup-points/{point}/uncollected" {
        Needs(ReadDistribution): uncollected_cards(point) -> Json<UncollectedView>
    }

    /// Recall the cards waiting at one's own point past the region's period, at most 1,000
    /// sent there and 1,000 made there on the spot a call: each is cancelled (its holder
    /// applies again); a replacement or renewal, linked to its holder's account, stays for
    /// the desk
    RecallUncollected: post "recall_uncollected" "/api/v1/pickup-points/{point}/recall" {
        Needs(ReceiveShipment): recall_uncollected(key, point) -> Json<RecallView>
    }

    /// The cards recalled at a point and not yet destroyed (numbers only), at most 1,000
    RecalledCards: get "recalled_cards" "/api/v1/pickup-points/{point}/recalled" {
        Needs(ReadDistribution): recalled_cards(point) -> Json<RecalledView>
    }

    /// Destroy recalled cards at one's own point, each once, with one record: how and the
    /// witness the point's paper record names
    DestroyCards: post "destroy_cards" "/api/v1/pickup-points/{point}/destruction"
        .errors(&["conflict"]) {
        Needs(ReceiveShipment): destroy_cards(key, point, body: Destruction) -> Json<DestructionView>
    }

    /// One's own notices (a card ready at its point), newest first
    MyNotifications: get "my_notifications" "/api/v1/notifications" {
        access: Needs(ReadNotifications),
        types: (), NoQuery, NoBody => Json<NotificationsView>,
        call: |app, actor, _input| Json(app.my_notifications(actor)?),
    }

    /// The text messages queued for the gateway, oldest first
    SmsOutbox: get "sms_outbox" "/api/v1/sms-outbox" {
        access: Needs(ManageSmsOutbox),
        types: (), NoQuery, NoBody => Json<OutboxView>,
        call: |app, actor, _input| Json(app.sms_outbox(actor)?),
    }

    /// Mark messages the gateway sent: how many were still queued
    MarkSmsSent: post "mark_sms_sent" "/api/v1/sms-outbox/sent" {
        Needs(ManageSmsOutbox): mark_sms_sent(key, body: SmsSent) -> Json<i64>
    }

    /// Choose the pick-up point a card is sent to, while it is applied for or being made: a
    /// point of the card's region (a service centre, or a branch of the card's own bank)
    /// with a place free; a new choice replaces the last
    ChooseCollectionPoint: post "choose_collection_point" "/api/v1/cards/{card}/collection-point"
        .errors(&["point_full", "wrong_state"]) {
        Needs(ChooseCollectionPoint): choose_collection_point(key, card, body: PointChoice)
            -> Json<CollectionPointView>
    }

    /// Where a card is to be collected (the point it was sent to, the one chosen, or the
    /// region's default) and whether the point may still be chosen
    GetCollectionPoint: get "get_collection_point" "/api/v1/cards/{card}/collection-point" {
        Needs(ReadCard): collection_point(card) -> Json<CollectionPointView>
    }

    /// Ask for a card to be posted to an address, while it is applied for or being made and
    /// not yet on its way: it goes to the region's default point and is posted from there;
    /// a chosen point is replaced (choosing a point later withdraws the order)
    ChooseMailDelivery: post "choose_mail_delivery" "/api/v1/cards/{card}/mail-delivery"
        .errors(&["wrong_state", "conflict"]) {
        Needs(ChooseCollectionPoint): choose_mail_delivery(key, card, body: MailChoice)
            -> Json<CollectionPointView>
    }

    /// The cards at one's own point to be posted or in the post, with the addresses for the
    /// labels (each read audited)
    MailQueue: get "mail_queue" "/api/v1/pickup-points/{point}/mail" {
        Needs(ReceiveShipment): mail_queue(point) -> Json<MailQueueView>
    }

    /// Post a card waiting at one's own point to be posted: the carrier and its tracking
    /// number; the holder is told
    PostCard: post "post_card" "/api/v1/cards/{card}/mail-delivery/posting"
        .errors(&["wrong_state", "conflict"]) {
        Needs(ReceiveShipment): post_card(key, card, body: MailPosting) -> Json<MailView>
    }

    /// Record the carrier's report on a card in the post, once: delivered into the holder's
    /// hands (with the ID number the carrier read, which must be the holder's), brought back
    /// with the reason (the card waits at the point; the holder is told), or lost (the card
    /// is cancelled and made again under new numbers, to be posted to the same address)
    ReportMailDelivery: post "report_mail_delivery" "/api/v1/cards/{card}/mail-delivery/report"
        .errors(codes![
            "wrong_state", citizen_id, "identity_mismatch", "too_many_lookups", "conflict",
        ]) {
        Needs(ReceiveShipment): report_mail_delivery(key, card, body: MailReport) -> Json<MailView>
    }

    /// Equip a bank branch's pick-up point with an instant-issuance device (replacing the
    /// one it had): the device's X25519 public key and the product of its blank cards
    RegisterIssuanceDevice: post "register_issuance_device"
        "/api/v1/pickup-points/{point}/issuance-device" .errors(&["wrong_state"]) {
        Needs(ManageDistribution): register_issuance_device(key, point, body: NewIssuanceDevice)
            -> Json<IssuanceDeviceView>
    }

    /// Personalise an applied card of one's own bank on the spot at one's equipped branch:
    /// the product's gate and the vendor's standing as for a batch, the card's data and keys
    /// sealed to the device, the manifest signed by the bureau; the card is in production
    /// until the device's report
    IssueInstantly: post "issue_instantly" "/api/v1/cards/{card}/instant-issue"
        .errors(&["wrong_state", "gate_not_passed", "vendor_not_certified", "master_key_missing"]) {
        Needs(IssueInstantly): issue_instantly(key, card) -> Json<InstantIssueView>
    }

    /// Report the card one's branch's device personalised, once: produced (ready at the
    /// branch for collection) or failed with the reason (applied for again, to be issued
    /// anew)
    ReportInstantIssue: post "report_instant_issue" "/api/v1/cards/{card}/instant-issue/report"
        .errors(&["wrong_state"]) {
        Needs(IssueInstantly): report_instant_issue(key, card, body: InstantIssueReport)
            -> Json<InstantIssueView>
    }
}
