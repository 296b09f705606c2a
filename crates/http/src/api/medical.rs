//! Medical insurance: institutions, catalogue, policies, settlement, reconciliation.
//! Its operations are still rows of [`super::legacy::TABLE`] until they move here.

use super::Entry;

pub(crate) const OPERATIONS: &[Entry] = &[];
