//! The electronic card (issue 19, item 5): taking and revoking one, its codes, their online
//! check, and the regions' signing keys — listed for the production desk and published for
//! anyone at a well-known address.

use shebao_app::card::ecard::{
    CodeCheck, CodeCheckView, CodeRequest, ECardCodeView, ECardRequest, ECardRevocation, ECardView,
    ECardsView,
};
use shebao_app::card::ecard_keys::{ECardKeySet, ECardKeyView, NewECardKey};
use shebao_app::production::KeyQuery;

use super::kinds::{Json, NoBody, NoQuery, Query};
use super::{Entry, In, codes, entry, operations};

pub(crate) const OPERATIONS: &[Entry] = &[
    entry(IssueECard),
    entry(ListMyECards),
    entry(ShowECardCode),
    entry(RevokeECard),
    entry(CheckECardCode),
    entry(ListECardKeys),
    entry(CreateECardKey),
    entry(WithdrawECardKey),
    entry(PublishedECardKeys),
];

const TAG: &str = "e-card";

operations! {
    tag: TAG;

    /// Take an electronic card for one's own usable card, confirmed with the card's social
    /// PIN (a wrong one counts toward its lock); one active a card
    IssueECard: post "issue_ecard" "/api/v1/cards/{card}/e-card"
        .errors(codes![social_pin, "ecard_exists"]) {
        Needs(IssueECard): issue_ecard(key, card, body: ECardRequest) -> Json<ECardView>
    }

    /// One's own electronic cards, newest first
    ListMyECards: get "list_my_ecards" "/api/v1/e-cards" {
        Needs(ReadCard): my_ecards() -> Json<ECardsView>
    }

    /// A fresh code of one's own electronic card (an identity code, or a payment code once
    /// the card's financial account is active): signed by the region's current key, working
    /// for the region's minutes; show it as a QR code and ask again before it expires
    ShowECardCode: post "show_ecard_code" "/api/v1/e-cards/{ecard}/codes"
        .not_changing()
        .errors(codes![
            card_state,
            "ecard_revoked",
            "ecard_not_offered",
            "temporary_card_no_financial_function",
            "invalid_card_state",
            "deposit_only",
            "account_closed",
            "pin_not_set",
        ]) {
        Needs(ReadCard): ecard_code(ecard, body: CodeRequest) -> Json<ECardCodeView>
    }

    /// Revoke an electronic card (the holder their own; a clerk anyone's, also for suspected
    /// fraud): its codes stop at once, and a new one may be taken
    RevokeECard: post "revoke_ecard" "/api/v1/e-cards/{ecard}/revocation"
        .errors(&["ecard_revoked", "conflict"]) {
        Needs(RevokeECard): revoke_ecard(key, ecard, body: ECardRevocation) -> Json<ECardView>
    }

    /// Check a code online: its signature and expiry, the electronic card not revoked, the
    /// card neither lost nor ended; a payment code's one use is recorded. Shows the holder
    /// masked; audited as a look-up of the person
    CheckECardCode: post "check_ecard_code" "/api/v1/e-card-codes/check"
        .errors(codes![
            card_state,
            "invalid_token",
            "code_expired",
            "code_used",
            "ecard_revoked",
            "temporary_card_no_financial_function",
            "invalid_card_state",
            "deposit_only",
            "account_closed",
            "pin_not_set",
            "conflict",
        ]) {
        Needs(VerifyECardCode): check_ecard_code(key, body: CodeCheck) -> Json<CodeCheckView>
    }

    /// A region's e-card signing keys, newest first: ids and public keys
    ListECardKeys: get "list_ecard_keys" "/api/v1/e-card-keys" {
        access: Needs(ReadCardKeys),
        types: (), Query<KeyQuery>, NoBody => Json<Vec<ECardKeyView>>,
        call: |app, actor, In { query: Query(query), .. }| {
            Json(app.ecard_keys(actor, &query.region)?)
        },
    }

    /// Create a region's e-card signing key in the key store, or rotate it: the next version
    /// is current, the one before retired (its codes work until they expire) or, when
    /// `withdraw_current`, withdrawn as compromised (its codes fail at once)
    CreateECardKey: post "create_ecard_key" "/api/v1/e-card-keys" .errors(&["conflict"]) {
        Needs(ManageCardKeys): create_ecard_key(key, body: NewECardKey) -> Json<ECardKeyView>
    }

    /// Withdraw a region's retired e-card key found compromised: every code it signed fails
    /// from now on (the current key is withdrawn by rotating it with `withdraw_current`)
    WithdrawECardKey: post "withdraw_ecard_key" "/api/v1/e-card-keys/{ecard_key}/withdrawal"
        .errors(&["wrong_state", "conflict"]) {
        Needs(ManageCardKeys): withdraw_ecard_key(key, ecard_key) -> Json<ECardKeyView>
    }

    /// The e-card signing keys, for anyone who checks codes offline: a JSON Web Key Set
    /// (Ed25519 `OKP` keys) with each key's region, status and signing period; fetch it
    /// again when a code names a key not in it
    PublishedECardKeys: get "published_ecard_keys" "/.well-known/shebao/ecard-keys" {
        access: Public,
        types: (), NoQuery, NoBody => Json<ECardKeySet>,
        call_shared: |shared, _| Ok(Json(shared.app.published_ecard_keys()?)),
    }
}
