//! Reference data: regions, their parameters, banks and branches.
//! Its operations are still rows of [`super::legacy::TABLE`] until they move here.

use super::Entry;

pub(crate) const OPERATIONS: &[Entry] = &[];
