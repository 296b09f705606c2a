#!/usr/bin/env python3
# The ceiling of the embedded store for the money engine's rows (issue 16; docs/benchmarks.md,
# "The ceiling of the embedded store"): SQLite alone, with no application code, writing per
# operation exactly what a card purchase leaves behind — a transfer, two ledger entries, an
# audit record (with the audit log's two indexes), the answer kept under the idempotency key,
# and the touched ledger balances — into tables shaped as in crates/store/migrations/0001,
# in groups of GROUP operations per commit, over 100,000 accounts, WAL with synchronous=FULL.
#
#   python3 scripts/sqlite-ceiling.py cur|lean GROUP fk|nofk     (env: SYNC=FULL|OFF, CACHE=KiB)
#
# `cur` is the schema as it is; `lean` the same rows laid out to append (WITHOUT ROWID tables,
# time-ordered transfer ids, the reverses index only where set). It prints operations/s, the
# time per operation spent building rows in Python, in SQLite's statements ("write") and in
# COMMIT, and the bytes the process wrote per operation. The database is /tmp/lean-LAYOUT.db.
import sqlite3, os, sys, time, random, hashlib, uuid, json
layout, group, fk = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "fk"
N_ACC = 100_000; OPS = 200_000
path = f"/tmp/lean-{layout}.db"
for s in ("", "-wal", "-shm"):
    try: os.remove(path + s)
    except FileNotFoundError: pass
c = sqlite3.connect(path, isolation_level=None)
c.executescript(f"PRAGMA journal_mode=WAL; PRAGMA synchronous={os.environ.get('SYNC','FULL')}; PRAGMA foreign_keys={'ON' if fk else 'OFF'}; PRAGMA cache_size=-{os.environ.get('CACHE','65536')};")
wr = " WITHOUT ROWID" if layout == "lean" else ""
uniq = "" if layout == "lean" else " UNIQUE"
c.executescript(f"""
CREATE TABLE ledger_accounts (id TEXT PRIMARY KEY, allow_negative INT, balance_fen BIGINT, entries BIGINT, created_at BIGINT){wr};
CREATE TABLE transfers (id TEXT PRIMARY KEY, code TEXT NOT NULL, debit_account TEXT NOT NULL REFERENCES ledger_accounts(id),
  credit_account TEXT NOT NULL REFERENCES ledger_accounts(id), amount_fen BIGINT NOT NULL, reverses TEXT{uniq} REFERENCES transfers(id),
  memo TEXT NOT NULL, actor TEXT NOT NULL, created_at BIGINT NOT NULL){wr};
CREATE TABLE entries (account TEXT NOT NULL REFERENCES ledger_accounts(id), seq BIGINT NOT NULL, transfer_id TEXT NOT NULL REFERENCES transfers(id),
  amount_fen BIGINT NOT NULL, balance_after_fen BIGINT NOT NULL, PRIMARY KEY (account, seq)){wr};
CREATE TABLE idempotency (key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, response TEXT NOT NULL, created_at BIGINT NOT NULL){wr};
CREATE TABLE audit_log (chain BIGINT NOT NULL, seq BIGINT NOT NULL, at BIGINT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
  subject TEXT NOT NULL, outcome TEXT NOT NULL, detail TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (chain, seq)){wr};
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_subject ON audit_log (subject);
""")
if layout == "lean":
    c.execute("CREATE UNIQUE INDEX transfers_reverses ON transfers (reverses) WHERE reverses IS NOT NULL")
c.execute("BEGIN")
accs = [f"acct:{uuid.uuid4()}" for _ in range(N_ACC)]
c.executemany("INSERT INTO ledger_accounts VALUES (?,0,1000000000,0,0)", [(a,) for a in accs])
c.execute("INSERT INTO ledger_accounts VALUES ('merchant',1,0,0,0)")
c.execute("COMMIT")
bal = {a: [1000000000, 0] for a in accs}; bal["merchant"] = [0, 0]
seq = 0; tid = 0
io0=int([l for l in open("/proc/self/io") if l.startswith("write_bytes")][0].split()[1]); t0 = time.time(); tb=0; tw=0; tc=0
for g in range(OPS // group):
    x0=time.time(); c.execute("BEGIN")
    T, E, A, K = [], [], [], []
    for i in range(group):
        a = random.choice(accs)
        tid += 1
        t = f"{tid:016x}{uuid.uuid4().hex[:16]}" if layout == "lean" else str(uuid.uuid4())
        T.append((t, "card_purchase", a, "merchant", 1234, None, "purchase at shop 12", "terminal:pos-0001", 1765000000))
        for acc, amt in ((a, -1234), ("merchant", 1234)):
            b = bal[acc]; b[0] += amt; b[1] += 1
            E.append((acc, b[1], t, amt, b[0]))
        seq += 1
        A.append((1, seq, 1765000000 + seq // 1000, "terminal:pos-0001", "card.purchase", f"card:{a[5:41]}", "ok",
                  json.dumps({"transfer": t, "amount_fen": 1234, "merchant": "shop-12"}), "a"*64, hashlib.sha256(t.encode()).hexdigest()))
        K.append((str(uuid.uuid4()), "f"*64, json.dumps({"status": 200, "body": {"transfer_id": t, "balance_fen": 99999, "amount_fen": 1234}}), 1765000000))
    x1=time.time(); tb+=x1-x0
    c.executemany("INSERT INTO transfers VALUES (?,?,?,?,?,?,?,?,?)", T)
    c.executemany("INSERT INTO entries VALUES (?,?,?,?,?)", E)
    c.executemany("INSERT INTO audit_log VALUES (?,?,?,?,?,?,?,?,?,?)", A)
    c.executemany("INSERT INTO idempotency VALUES (?,?,?,?)", K)
    touched = {e[0] for e in E}
    c.executemany("UPDATE ledger_accounts SET balance_fen=?, entries=? WHERE id=?", [(bal[x][0], bal[x][1], x) for x in touched])
    c.execute("UPDATE ledger_accounts SET balance_fen=balance_fen WHERE id='merchant'")
    x2=time.time(); tw+=x2-x1
    c.execute("COMMIT"); tc+=time.time()-x2
dt = time.time() - t0
print(f"{layout} group={group} fk={fk}: {OPS/dt:,.0f} ops/s  wal={os.path.getsize(path+'-wal')/1e6:.0f}MB db={os.path.getsize(path)/1e6:.0f}MB")
print(f"per op µs: build {tb/OPS*1e6:.1f} write {tw/OPS*1e6:.1f} commit {tc/OPS*1e6:.1f}")
io1=int([l for l in open("/proc/self/io") if l.startswith("write_bytes")][0].split()[1]); print(f"bytes written per op: {(io1-io0)/OPS:,.0f}")
