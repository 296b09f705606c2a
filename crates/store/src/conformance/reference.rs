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
