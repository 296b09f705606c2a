//! Card production's records for the matrix (issue 18): the production desk's login, each
//! tenant's card vendor with its staff's login, its product and a test card of the
//! product's gate in the tenants' region (the gate not passed, so more test cards may come),
//! and a master key of the region.

use super::*;

/// Valid unified social credit codes: each tenant's card vendor, and one
/// `register_card_vendor` registers.
pub(super) const VENDOR_CODES: [&str; 3] = [
    "91110000802100433B",
    "91440300708461136T",
    "91350100M000100Y43",
];

/// A product's body.
pub(super) fn card_product(name: &str) -> Value {
    json!({
        "name": name, "generation": "3.00", "chip": "THD89", "operating_system": "COS 3.1",
        "face_design": "Zhejiang 2026", "face_version": "1.0", "file_structure_version": "3.0"
    })
}

pub(super) fn production(server: &mut Server, admin: &str, world: &mut World) {
    create_user(server, admin, "desk", "production_officer", json!({}));
    let desk = server.sign_in("desk", PASSWORD);
    server.post(
        &desk,
        "/api/v1/card-keys",
        json!({ "region": REGIONS[0], "purpose": "external_authentication" }),
    );
    for tenant in 0..2 {
        let suffix = ["a", "b"][tenant];
        let vendor = server.post(
            &desk,
            "/api/v1/card-vendors",
            json!({
                "credit_code": VENDOR_CODES[tenant], "name": format!("vendor {suffix}"),
                "region": REGIONS[0], "contact": "王经理 0571-88880000"
            }),
        );
        let vendor = vendor["id"].as_str().unwrap().to_owned();
        create_user(
            server,
            admin,
            &format!("vendor-{suffix}"),
            "card_vendor",
            json!({ "vendor_id": vendor }),
        );
        let product = server.post(
            &desk,
            &format!("/api/v1/card-vendors/{vendor}/products"),
            card_product(&format!("product {suffix}")),
        );
        let product = product["id"].as_str().unwrap().to_owned();
        let staff = server.sign_in(&format!("vendor-{suffix}"), PASSWORD);
        let gate = server.post(
            &staff,
            &format!("/api/v1/card-products/{product}/test-cards"),
            json!({ "region": REGIONS[0], "serial": format!("T-{suffix}"), "made_on": world.today }),
        );
        world.test_cards[tenant] = gate["test_cards"][0]["id"].as_str().unwrap().to_owned();
        world.vendors[tenant] = vendor;
        world.products[tenant] = product;
    }
}
