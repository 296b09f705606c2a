//! Audit: the trail and its verification.
//! Its operations are still rows of [`super::legacy::TABLE`] until they move here.

use super::Entry;

pub(crate) const OPERATIONS: &[Entry] = &[];
