//! Reference data: versioned region parameters.

use shebao_domain::ids::RegionCode;
use shebao_domain::time::Date;

use crate::{Store, StoreError};

use super::{NOW, Outcome, conflict, equal, seed_reference, store_err};

/// Parameter versions: the one in force on a date is the latest effective on or before it.
pub fn region_parameters_are_versioned(store: &Store) -> Outcome {
    seed_reference(store)?;
    let region = RegionCode::new("330100");
    let (first, second) = (
        Date::new(2025, 1, 1).ok_or("date")?,
        Date::new(2026, 7, 1).ok_or("date")?,
    );
    let r = region.clone();
    store
        .write(move |tx| {
            tx.insert_region_parameters(&r, first, "{\"v\":1}", "admin", NOW)?;
            tx.insert_region_parameters(&r, second, "{\"v\":2}", "admin", NOW)
        })
        .map_err(store_err)?;
    let r = region.clone();
    let duplicate =
        store.write(move |tx| tx.insert_region_parameters(&r, first, "{}", "admin", NOW));
    conflict(duplicate, "a version is never overwritten")?;
    let r = region.clone();
    let (before, during, after) = store
        .read(move |tx| {
            Ok::<_, StoreError>((
                tx.region_parameters_at(&r, Date::new(2024, 12, 31).unwrap_or(first))?,
                tx.region_parameters_at(&r, Date::new(2026, 6, 30).unwrap_or(first))?,
                tx.region_parameters_at(&r, second)?,
            ))
        })
        .map_err(store_err)?;
    equal(before, None, "nothing before the first version")?;
    equal(
        during,
        Some((first, "{\"v\":1}".to_owned())),
        "first version",
    )?;
    equal(
        after,
        Some((second, "{\"v\":2}".to_owned())),
        "second version",
    )
}

fn catalogue_item(code: &str, from: Date, name: &str) -> crate::records::CatalogueItemRecord {
    crate::records::CatalogueItemRecord {
        region: RegionCode::new("330100"),
        code: code.into(),
        effective_from: from,
        name: name.into(),
        class: "a".into(),
        first_share_ppm: 0,
        limit_price_fen: None,
    }
}

/// The catalogue is searched by a part of an item's code or name, in any case, among the
/// items in force, each at its latest version; `%` and `_` are plain characters.
pub fn the_catalogue_is_searched_by_code_or_name(store: &Store) -> Outcome {
    seed_reference(store)?;
    let day = |y, m, d| Date::new(y, m, d).ok_or("date");
    let items = [
        catalogue_item("A001", day(2025, 1, 1)?, "阿莫西林胶囊"),
        catalogue_item("A001", day(2026, 7, 1)?, "阿莫西林胶囊 0.25g"),
        catalogue_item("B002", day(2025, 1, 1)?, "CT scan"),
        catalogue_item("C003", day(2027, 1, 1)?, "Future item"),
    ];
    store
        .write(move |tx| {
            for item in &items {
                tx.insert_catalogue_item(item, NOW)?;
            }
            Ok::<_, StoreError>(())
        })
        .map_err(store_err)?;
    let on = day(2026, 12, 1)?;
    let region = RegionCode::new("330100");
    let found = store
        .read(move |tx| {
            let mut codes = Vec::new();
            for (text, limit) in [
                ("a00", 10),
                ("ct", 10),
                ("阿莫", 10),
                ("item", 10),
                ("%", 10),
                ("0", 1),
            ] {
                let items = tx.search_catalogue(&region, text, on, limit)?;
                codes.push(
                    items
                        .iter()
                        .map(|i| format!("{} {}", i.code, i.name))
                        .collect::<Vec<_>>(),
                );
            }
            Ok::<_, StoreError>(codes)
        })
        .map_err(store_err)?;
    equal(
        found,
        vec![
            vec!["A001 阿莫西林胶囊 0.25g".to_owned()],
            vec!["B002 CT scan".to_owned()],
            vec!["A001 阿莫西林胶囊 0.25g".to_owned()],
            vec![],
            vec![],
            vec!["A001 阿莫西林胶囊 0.25g".to_owned()],
        ],
        "catalogue searches",
    )
}
