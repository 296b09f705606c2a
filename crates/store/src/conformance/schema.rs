//! The schema: every migration a backend runs is, to the byte, what it ran when written.

use crate::schema::Migration;

/// Each migration's SHA-256 as written: (name, SQLite, PostgreSQL). An applied migration is
/// never edited (a database records only its name), so these never change; a new
/// migration adds a row.
const DIGESTS: [(&str, &str, &str); 24] = [
    (
        "0001_init",
        "e09152c2bc450c075c9912eb49fa7ca9d94593a62a05abc4b54ebcbf3fbdeee0",
        "f33234982b9d7e4b7c0382499712c819508a5862a969e9d12b4fffa9e5ac201d",
    ),
    (
        "0002_insurance",
        "1ce9afc45150cb49ff59a408ed0876b3aa7b16bc0bd15b56b5933ef1e05b1dd8",
        "1ce9afc45150cb49ff59a408ed0876b3aa7b16bc0bd15b56b5933ef1e05b1dd8",
    ),
    (
        "0003_medical",
        "6ef95d0546003733a1129282d06a2daf9026c3c85fbabf71b519f53fc11a521e",
        "6ef95d0546003733a1129282d06a2daf9026c3c85fbabf71b519f53fc11a521e",
    ),
    (
        "0004_audit_purge",
        "fd9ebb470eb84cac42b7d63629dc7328c4c56e3a2c4753191ae81378628e7d15",
        "5ab3a61c5e489e13e1f372a0d358e5f41d4b1c293de1de81ea7023c764c58434",
    ),
    (
        "0005_settlement_diagnosis",
        "7c92b57ab0a90ba642d48fb6142e42c3ac6de554a5ea7c86cf7e217b835de9f7",
        "7c92b57ab0a90ba642d48fb6142e42c3ac6de554a5ea7c86cf7e217b835de9f7",
    ),
    (
        "0006_contribution_run",
        "63edec4e3abd5c8d535621446f1709125b716a83706aaae94da4492c5db974ab",
        "63edec4e3abd5c8d535621446f1709125b716a83706aaae94da4492c5db974ab",
    ),
    (
        "0007_region_utc_offset",
        "efd13fadeb56382602baa030e4f6841719f50941b872ed9bad24b147032bf395",
        "b1e67881d3c947079105b2838b2abef68738f44967cb4524262428d93df544f5",
    ),
    (
        "0008_approvals",
        "880bfd0a7b6fee5fe80b7a5492931a43a5a13bda5bc620d8a4fac2bf7c10710c",
        "26adb76ca57ea51af9a72fe6dfb3ed7786c0e424acc4ae3eceefe32d4ca9e837",
    ),
    (
        "0009_holder_login",
        "1a5da4e46cef8437c21e1812514b623c4ac090897e77cddee3d986c4a35ec676",
        "1a5da4e46cef8437c21e1812514b623c4ac090897e77cddee3d986c4a35ec676",
    ),
    (
        "0010_certificate_document",
        "7072afccb44c79f25538a07fa032f9aaabddc38b3c1d51b771582c92eceed06e",
        "7072afccb44c79f25538a07fa032f9aaabddc38b3c1d51b771582c92eceed06e",
    ),
    (
        "0011_person_name_index",
        "7d484b3f0cf738f8096ba45bba58af7b8726982acc0184f022c2eba019eb4a0e",
        "7d484b3f0cf738f8096ba45bba58af7b8726982acc0184f022c2eba019eb4a0e",
    ),
    (
        "0012_payment_orders",
        "26bac6fe7242838525fcbfbc16fec9a359890e01c4f186bcdccfed36e2acdf59",
        "26bac6fe7242838525fcbfbc16fec9a359890e01c4f186bcdccfed36e2acdf59",
    ),
    (
        "0013_job_board",
        "2dc9ef87364fd371ab139269abed5234a5e76af472dc4f48f44f76d981ac0595",
        "82805f4c340af9196e62dc59fb1d917032e0a5e0bf08fdbff53c70c0f3a36a8b",
    ),
    (
        "0014_job_seeking",
        "117fe59635493d0cfe2a66e851dd8f338fb2eab052aceb8e9a6d47a6812ef3bb",
        "e50a2c07a2a86c85922021dadbf1ea7899ead516de4b377941cf8cd384fc55ec",
    ),
    (
        "0015_unemployment",
        "a43284be7711bd2889bff3f4a12c90beb11de5547988365e56bcc3a51109c9c6",
        "a43284be7711bd2889bff3f4a12c90beb11de5547988365e56bcc3a51109c9c6",
    ),
    (
        "0016_maternity",
        "28e23205cab64b9c7d56301017e301e619d42446f597df6fa94db593733fdb35",
        "28e23205cab64b9c7d56301017e301e619d42446f597df6fa94db593733fdb35",
    ),
    (
        "0017_work_injury",
        "2802ccb6392b09e5ce684fbe8e4b0e8bf51b7ee7f395f76abb2010ee4968d3ae",
        "2802ccb6392b09e5ce684fbe8e4b0e8bf51b7ee7f395f76abb2010ee4968d3ae",
    ),
    (
        "0018_vocational_training",
        "83bebf03e1b4b2de52c261e98dff42ffce520535552bbe5d257a0e7f63cd093a",
        "83bebf03e1b4b2de52c261e98dff42ffce520535552bbe5d257a0e7f63cd093a",
    ),
    (
        "0019_card_production",
        "0b4d2e14159fd3094dcb6448c03c0963c340d2d7c8a1b9fcda2fc6864f65bde3",
        "0b4d2e14159fd3094dcb6448c03c0963c340d2d7c8a1b9fcda2fc6864f65bde3",
    ),
    (
        "0020_personalisation_files",
        "4b2081d2a52f52ea0b9d422a0342034bee88468272bcd6b5b67c32e46018df6f",
        "4b2081d2a52f52ea0b9d422a0342034bee88468272bcd6b5b67c32e46018df6f",
    ),
    (
        "0021_card_distribution",
        "4575b678a62555b2887a5986156cbfc15d4daca4c02a23f3c63fef08883ec11a",
        "4575b678a62555b2887a5986156cbfc15d4daca4c02a23f3c63fef08883ec11a",
    ),
    (
        "0022_collection_and_instant_issue",
        "b838a1933a1ab2432e26d8adf04eacd7bf6ab3bf7f19ccf89f8339742916b4eb",
        "b838a1933a1ab2432e26d8adf04eacd7bf6ab3bf7f19ccf89f8339742916b4eb",
    ),
    (
        "0023_mail_delivery",
        "58ab8f39c3d2ddf90ac4651b80db2dfe5fe32a0db75367159203a25f93a35a7f",
        "58ab8f39c3d2ddf90ac4651b80db2dfe5fe32a0db75367159203a25f93a35a7f",
    ),
    (
        "0024_electronic_card",
        "fca2df205564cecfae8bb0dbeda947d5a833844a47521a9f23563f34ee3bdcf2",
        "fca2df205564cecfae8bb0dbeda947d5a833844a47521a9f23563f34ee3bdcf2",
    ),
];

/// The migrations among `migrations` (as `backend`, `sqlite` or `postgres`, assembles
/// them) whose name or SHA-256 differs from what they were when written, in order: what a
/// backend's test expects to be none.
pub fn migrations_differ(migrations: &[Migration], backend: &str) -> Vec<String> {
    use sha2::Digest;
    let mut differ: Vec<String> = Vec::new();
    if migrations.len() != DIGESTS.len() {
        differ.push(format!(
            "{} migrations, {} digests",
            migrations.len(),
            DIGESTS.len()
        ));
    }
    for ((name, sql), (expected, sqlite, postgres)) in migrations.iter().zip(DIGESTS) {
        let digest = if backend == "postgres" {
            postgres
        } else {
            sqlite
        };
        let hash = sha2::Sha256::digest(sql.as_bytes());
        let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
        if *name != expected || hex != digest {
            differ.push(format!("{name}: {hex} (expected {expected}: {digest})"));
        }
    }
    differ
}
