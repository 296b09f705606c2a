//! Card production's records for the matrix (issue 18): the production desk's login, each
//! tenant's card vendor with its staff's login, its product and a test card of the
//! product's gate in the tenants' region (the gate not passed, so more test cards may come),
//! and the region's master key of every purpose; each tenant's second product through its
//! gate (tenant b's in the second region), its vendor's sealing key, and a batch of one
//! applied card made for it with its personalisation file, produced and shipped to its
//! region's default pick-up point (tenant a's batch with two more cards, whose holders chose
//! the points of teller-a's and teller-b's branches); four pick-up points.

use super::*;

/// Valid unified social credit codes: each tenant's card vendor, and one
/// `register_card_vendor` registers.
pub(super) const VENDOR_CODES: [&str; 3] = [
    "91110000802100433B",
    "91440300708461136T",
    "91350100M000100Y43",
];

/// Each tenant's person whose applied card goes in the tenant's batch.
const BATCH_CITIZENS: [&str; 2] = ["33010619800101003X", "330106198002020045"];
/// The persons whose cards in tenant a's batch go to teller-a's and teller-b's branches.
const BRANCH_CITIZENS: [&str; 2] = ["330106198003030050", "330106198004040066"];

/// A product's body.
pub(super) fn card_product(name: &str) -> Value {
    json!({
        "name": name, "generation": "3.00", "chip": "THD89", "operating_system": "COS 3.1",
        "face_design": "Zhejiang 2026", "face_version": "1.0", "file_structure_version": "3.0"
    })
}

pub(super) fn production(server: &mut Server, (admin, clerk): (&str, &str), world: &mut World) {
    create_user(server, admin, "desk", "production_officer", json!({}));
    let desk = server.sign_in("desk", PASSWORD);
    for region in [REGIONS[0], REGIONS[1]] {
        for purpose in [
            "external_authentication",
            "internal_authentication",
            "update",
            "purchase",
            "pin_unlock",
        ] {
            server.post(
                &desk,
                "/api/v1/card-keys",
                json!({ "region": region, "purpose": purpose }),
            );
        }
    }
    // The first region's default point (a service centre), teller-a's branch, the second
    // region's default point, and teller-b's branch.
    for (i, (region, kind, branch, default)) in [
        (REGIONS[0], "service_centre", None, true),
        (REGIONS[0], "bank_branch", Some(BRANCHES[0]), false),
        (REGIONS[1], "service_centre", None, true),
        (REGIONS[0], "bank_branch", Some(BRANCHES[1]), false),
    ]
    .into_iter()
    .enumerate()
    {
        let point = server.post(
            &desk,
            "/api/v1/pickup-points",
            json!({
                "region": region, "kind": kind, "branch": branch, "name": format!("point {i}"),
                "address": "address", "opening_hours": "9:00-17:00", "capacity": 100,
                "default": default
            }),
        );
        world.points[i] = point["id"].as_str().unwrap().to_owned();
    }
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
            json!({ "region": REGIONS[0], "serial": format!("T-{suffix}"), "made_on": world.region_today }),
        );
        world.test_cards[tenant] = gate["test_cards"][0]["id"].as_str().unwrap().to_owned();
        world.vendors[tenant] = vendor;
        world.products[tenant] = product;
    }

    // Each tenant's second product through its gate, and a batch of one applied card, made,
    // shipped to its region's default point: tenant a's in the first region, tenant b's in
    // the second.
    for tenant in 0..2 {
        let suffix = ["a", "b"][tenant];
        let region = REGIONS[tenant];
        let vendor = world.vendors[tenant].clone();
        for kind in [
            "card_production",
            "bank_card",
            "commercial_cryptography",
            "secure_environment",
            "psam_filing",
        ] {
            server.post(
                &desk,
                &format!("/api/v1/card-vendors/{vendor}/credentials"),
                json!({ "kind": kind, "number": format!("{kind}-{suffix}"), "issued_on": world.region_today, "valid_until": in_days(300) }),
            );
        }
        let product = server.post(
            &desk,
            &format!("/api/v1/card-vendors/{vendor}/products"),
            card_product(&format!("batch product {suffix}")),
        );
        let product = product["id"].as_str().unwrap().to_owned();
        for step in [
            "registration_approval",
            "key_application",
            "psam_application",
        ] {
            server.post(
                &desk,
                &format!("/api/v1/card-products/{product}/gate-approvals"),
                json!({ "region": region, "step": step, "reference": "R-1", "approved_on": world.region_today }),
            );
        }
        let staff = server.sign_in(&format!("vendor-{suffix}"), PASSWORD);
        let (_, public_key) = shebao_app::keystore::new_sealing_key_pair();
        server.post(
            &staff,
            "/api/v1/sealing-keys",
            json!({ "public_key": public_key }),
        );
        let gate = server.post(
            &staff,
            &format!("/api/v1/card-products/{product}/test-cards"),
            json!({ "region": region, "serial": "B-1", "made_on": world.region_today }),
        );
        let test_card = gate["test_cards"][0]["id"].as_str().unwrap().to_owned();
        for audit in ["standard_compliance", "safety", "universality"] {
            let checks: Vec<Value> = if audit == "universality" {
                shebao_domain::production::UNIVERSALITY_CHECKS
                    .iter()
                    .map(|c| json!({ "check": c, "passed": true }))
                    .collect()
            } else {
                Vec::new()
            };
            server.post(
                &desk,
                &format!("/api/v1/test-cards/{test_card}/audits"),
                json!({ "audit": audit, "passed": true, "checks": checks, "audited_on": world.region_today }),
            );
        }
        // Tenant a's batch has two more cards, whose holders chose teller-a's branch (a
        // card of bank a) and teller-b's (a card of bank b).
        let mut applied = vec![(BATCH_CITIZENS[tenant], BANKS[0], None)];
        if tenant == 0 {
            applied.push((BRANCH_CITIZENS[0], BANKS[0], Some(world.points[1].clone())));
            applied.push((BRANCH_CITIZENS[1], BANKS[1], Some(world.points[3].clone())));
        }
        for (citizen, bank, point) in &applied {
            let person = server.post(
                clerk,
                "/api/v1/persons",
                json!({
                    "citizen_id": citizen, "name": "周杰", "nationality": "CHN",
                    "household_region": "330106", "household_kind": "urban"
                }),
            );
            let card = server.post(
                clerk,
                "/api/v1/cards",
                json!({ "person_id": person["id"], "bank_id": bank, "region": region }),
            );
            if let Some(point) = point {
                server.post(
                    clerk,
                    &format!(
                        "/api/v1/cards/{}/collection-point",
                        card["id"].as_str().unwrap()
                    ),
                    json!({ "point": point }),
                );
            }
        }
        let batch = server.post(
            &desk,
            "/api/v1/production-batches",
            json!({ "product": product, "region": region, "cards": applied.len() }),
        );
        let batch = batch["id"].as_str().unwrap().to_owned();
        server.post(
            &desk,
            &format!("/api/v1/production-batches/{batch}/file"),
            json!({}),
        );
        let cards = server.read(&desk, &format!("/api/v1/production-batches/{batch}/cards"));
        world.batch_codes[tenant] = cards[0]["identification_code"].as_str().unwrap().to_owned();
        let results: Vec<Value> = cards
            .as_array()
            .unwrap()
            .iter()
            .map(|card| json!({ "identification_code": card["identification_code"], "outcome": "produced" }))
            .collect();
        server.post(
            &staff,
            &format!("/api/v1/production-batches/{batch}/results"),
            json!({ "results": results }),
        );
        server.post(
            &staff,
            &format!("/api/v1/production-batches/{batch}/ship"),
            json!({}),
        );
        let mut shipment_to = |point: &str| {
            let shipped = server.read(&desk, &format!("/api/v1/pickup-points/{point}/shipments"));
            shipped["shipments"][0]["id"].as_str().unwrap().to_owned()
        };
        world.shipments[tenant] = shipment_to(&world.points[tenant * 2]);
        if tenant == 0 {
            world.branch_shipments = [shipment_to(&world.points[1]), shipment_to(&world.points[3])];
        }
        world.batch_products[tenant] = product;
        world.batches[tenant] = batch;
    }
}

/// The tenants' region's e-card key (made by the desk), each tenant's holder's electronic
/// card of its card (confirmed with the social PIN) and an identity code of it.
pub(super) fn ecards(server: &mut Server, holder_passwords: &[String; 2], world: &mut World) {
    let desk = server.sign_in("desk", PASSWORD);
    server.post(
        &desk,
        "/api/v1/e-card-keys",
        json!({ "region": REGIONS[0] }),
    );
    for tenant in 0..2 {
        let suffix = ["a", "b"][tenant];
        let holder = server.sign_in(&format!("holder-{suffix}"), &holder_passwords[tenant]);
        let ecard = server.post(
            &holder,
            &format!("/api/v1/cards/{}/e-card", world.cards[tenant]),
            json!({ "social_pin": SOCIAL_PIN }),
        );
        world.ecards[tenant] = ecard["id"].as_str().unwrap().to_owned();
        let code = server.post(
            &holder,
            &format!("/api/v1/e-cards/{}/codes", world.ecards[tenant]),
            json!({ "purpose": "identity" }),
        );
        world.ecard_codes[tenant] = code["code"].as_str().unwrap().to_owned();
    }
}
