-- The Datalog core of rules/ (conservative position) written by hand in DuckDB SQL: the reference
-- that benchmarks/bench_sql.py times the compiled program against. Never used by the product.
--
-- It reads the fact tables auditor/sqlengine.load fills (one table per predicate, columns c0..cN)
-- and writes the atoms it is compared on into the program's own tables: finding__2..5,
-- use_category__2, inherited__3, and carries__3 (compared inside the release's lineage cone,
-- cone__1, as shown). What a hand-written query would do and a rule-by-rule compilation does not: the rules'
-- constants written inline, lineage-only predicates (via, matrix licences, declarations) computed
-- on the cone alone, and only the verdicts a finding reads (unmet obligations). The evidence atoms
-- (because, status_basis) and outbound licences are not derived here.

CREATE MACRO ti(x) AS '1' || lpad(CAST(x + 2147483648 AS VARCHAR), 10, '0');
CREATE MACRO ty(x) AS '2' || x;
CREATE MACRO ts(x) AS '3' || x;

-- lineage: licences held, the release's cone, what crosses which edge, terms carried

CREATE TABLE r_holds AS
SELECT c0 AS a, c1 AS l FROM licensed__2
UNION SELECT ch.c0, al.c2 FROM chosen__2 ch JOIN alternative__3 al ON al.c0 = ch.c0 AND al.c1 = ch.c1
UNION SELECT c0, 'NOASSERTION' FROM unlicensed__2
UNION SELECT c0, 'NOASSERTION' FROM unrecognised__2;

CREATE TABLE r_cone AS
WITH RECURSIVE k(a) AS (
    SELECT c0 FROM release__3
    UNION SELECT e.c1 FROM k JOIN edge__3 e ON e.c0 = k.a
) SELECT a FROM k;

INSERT INTO cone__1 SELECT a FROM r_cone;

CREATE TABLE r_scope AS
SELECT a FROM r_cone
UNION SELECT c0 FROM asset__2 WHERE NOT EXISTS (SELECT 1 FROM release__3);

CREATE TABLE r_release AS SELECT c0 AS a, c1 AS u, c2 AS d FROM release__3;

CREATE TABLE r_part_only AS
SELECT t.c0 AS l, t.c1 AS t FROM term__2 t
WHERE t.c0 IN (SELECT c0 FROM copyleft_part__1) AND t.c1 IN (SELECT c0 FROM adaptation_only__1);

CREATE TABLE r_crosses AS
WITH free AS (
    SELECT t.c0 AS l, t.c1 AS t FROM term__2 t
    WHERE NOT EXISTS (SELECT 1 FROM r_part_only p WHERE p.l = t.c0 AND p.t = t.c1)
)
SELECT t.c0 AS l, t.c1 AS t, r.r FROM term__2 t,
    (VALUES ('finetune'), ('adapter'), ('merge'), ('distill'), ('derived_from'), ('quantized'), ('contains')) r(r)
UNION SELECT t.c0, t.c1, b.c1 FROM term__2 t JOIN binds__2 b ON b.c0 = t.c0
UNION SELECT l, t, 'trained_on' FROM free WHERE l NOT IN (SELECT c0 FROM training_frees__1)
UNION SELECT l, t, 'generated_by' FROM free WHERE l NOT IN (SELECT c0 FROM outputs_frees__1)
UNION SELECT l, t, 'depends_on' FROM free;

-- ranked terms travel the whole graph; every condition and limitation travels the cone
CREATE TABLE r_carries AS
WITH RECURSIVE ranked AS (
    SELECT DISTINCT t.c0 AS l, t.c1 AS t FROM term__2 t JOIN use_rank__2 u ON u.c0 = t.c1
), everywhere(a, l, t) AS (
    SELECT h.a, h.l, r.t FROM r_holds h JOIN ranked r ON r.l = h.l
    WHERE h.a NOT IN (SELECT c0 FROM removed__1)
    UNION
    SELECT e.c0, w.l, w.t FROM everywhere w JOIN edge__3 e ON e.c1 = w.a
    JOIN r_crosses x ON x.l = w.l AND x.t = w.t AND x.r = e.c2
), cone(a, l, t) AS (
    SELECT * FROM (
        SELECT w.a, w.l, w.t FROM everywhere w JOIN r_cone k ON k.a = w.a
        UNION
        SELECT h.a, h.l, t.c1 FROM r_holds h JOIN r_cone k ON k.a = h.a JOIN term__2 t ON t.c0 = h.l
        WHERE t.c1 IN (SELECT c0 FROM term_kind__2 WHERE c1 IN ('condition', 'limitation'))
        AND h.a NOT IN (SELECT c0 FROM removed__1)
    )
    UNION
    SELECT e.c0, w.l, w.t FROM cone w JOIN edge__3 e ON e.c1 = w.a JOIN r_cone k ON k.a = e.c0
    JOIN r_crosses x ON x.l = w.l AND x.t = w.t AND x.r = e.c2
)
SELECT * FROM everywhere UNION SELECT * FROM cone;

INSERT INTO carries__3 SELECT * FROM r_carries;

INSERT INTO use_category__2
WITH level AS (
    SELECT c.a, bool_or(u.c1 = 3) AS three, bool_or(u.c1 = 2) AS two, bool_or(u.c1 = 1) AS one
    FROM r_carries c JOIN use_rank__2 u ON u.c0 = c.t GROUP BY c.a
)
SELECT a, CASE WHEN three THEN 'academic_only' WHEN two THEN 'non_commercial' ELSE 'unspecified' END
FROM level WHERE three OR two OR one
UNION SELECT DISTINCT s.c0, 'commercial' FROM asset__2 s
WHERE NOT EXISTS (SELECT 1 FROM level v WHERE v.a = s.c0 AND (v.three OR v.two OR v.one));

CREATE TABLE r_via AS
SELECT DISTINCT e.c0 AS c, e.c1 AS p, w.l, w.t FROM edge__3 e JOIN r_cone k ON k.a = e.c0
JOIN r_carries w ON w.a = e.c1 JOIN r_crosses x ON x.l = w.l AND x.t = w.t AND x.r = e.c2;

CREATE TABLE r_licensor_of AS
SELECT DISTINCT p.c0 AS a, o.c0 AS l FROM publisher__2 p JOIN licensor_org__2 o ON o.c1 = p.c1;

INSERT INTO inherited__3
SELECT DISTINCT v.c, v.l, v.t FROM r_via v
WHERE NOT EXISTS (SELECT 1 FROM r_licensor_of o WHERE o.a = v.c AND o.l = v.l);

CREATE TABLE r_edge AS  -- the cone's edges
SELECT e.c0 AS c, e.c1 AS p, e.c2 AS r FROM edge__3 e JOIN r_cone k ON k.a = e.c0;

CREATE MACRO derivative(r) AS r IN ('finetune', 'adapter', 'merge', 'distill', 'derived_from', 'quantized', 'contains');
CREATE MACRO remakes(r) AS r IN ('finetune', 'adapter', 'merge', 'distill', 'derived_from', 'trained_on', 'generated_by', 'depends_on');

CREATE TABLE r_derived_unknown AS
WITH RECURSIVE u(a) AS (
    SELECT e.c FROM r_edge e JOIN r_holds h ON h.a = e.p AND h.l = 'NOASSERTION'
    WHERE derivative(e.r) AND e.p NOT IN (SELECT c0 FROM removed__1)
    UNION SELECT e.c FROM u JOIN r_edge e ON e.p = u.a WHERE derivative(e.r)
) SELECT a FROM u;

CREATE TABLE r_remade AS
SELECT DISTINCT e.c AS a, w.l, w.t, e.r FROM r_edge e JOIN r_carries w ON w.a = e.p
JOIN r_crosses x ON x.l = w.l AND x.t = w.t AND x.r = e.r
WHERE remakes(e.r) AND w.t IN (SELECT c0 FROM adaptation_only__1);

CREATE TABLE r_embodies AS
WITH RECURSIVE b(a, l, t) AS (
    SELECT * FROM (
        SELECT a, l, t FROM r_remade
        UNION SELECT e.c, h.l, t.c1 FROM r_edge e JOIN r_holds h ON h.a = e.p JOIN term__2 t ON t.c0 = h.l
        WHERE e.r = 'quantized' AND t.c1 IN (SELECT c0 FROM adaptation_only__1)
        AND e.p NOT IN (SELECT c0 FROM removed__1)
    )
    UNION SELECT e.c, b.l, b.t FROM b JOIN r_edge e ON e.p = b.a WHERE e.r = 'quantized'
) SELECT * FROM b;

CREATE TABLE r_adapts AS
WITH RECURSIVE b(a, l, t) AS (
    SELECT a, l, t FROM r_remade
    UNION SELECT e.c, b.l, b.t FROM b JOIN r_edge e ON e.p = b.a
    JOIN r_crosses x ON x.l = b.l AND x.t = b.t AND x.r = e.r
) SELECT * FROM b;

CREATE TABLE r_lineage_family AS
WITH RECURSIVE f(a, l) AS (
    SELECT h.a, h.l FROM r_holds h JOIN r_cone k ON k.a = h.a
    UNION SELECT e.c, f.l FROM f JOIN r_edge e ON e.p = f.a WHERE derivative(e.r)
) SELECT * FROM f;

-- policy

CREATE TABLE r_shares AS SELECT * FROM (VALUES ('weights'), ('api')) s(d);

CREATE TABLE r_covers AS
SELECT c0 AS l, c1 AS t FROM term__2
UNION SELECT c0, 'non_commercial' FROM term__2 WHERE c1 = 'research_only';

CREATE TABLE r_sa_compatible AS
SELECT c0 AS l, c0 AS m FROM term__2 WHERE c1 = 'share_alike'
UNION SELECT s.c0, s.c1 FROM share_alike_compatible__2 s
WHERE NOT EXISTS (SELECT 1 FROM osadl__3 o WHERE o.c0 = s.c1 AND o.c1 = s.c0)
UNION SELECT t.c0, o.c0 FROM term__2 t JOIN osadl__3 o ON o.c1 = t.c0 AND o.c2 = 'yes' WHERE t.c1 = 'share_alike';

CREATE TABLE r_unsure AS
SELECT DISTINCT c0 AS l, c1 AS o FROM osadl__3 WHERE c2 IN ('unknown', 'check_dependency');

CREATE TABLE r_triggered AS
SELECT r.a, c.c0 AS l FROM r_release r JOIN copyleft_trigger__2 c ON c.c1 = r.d
UNION SELECT k.a, c.c0 FROM r_cone k, copyleft_trigger__2 c
WHERE c.c1 = 'weights' AND k.a NOT IN (SELECT a FROM r_release);

CREATE TABLE r_declared AS  -- for the release, the only asset that reads it
SELECT h.a, h.l FROM r_holds h JOIN r_release r ON r.a = h.a WHERE h.l <> 'NOASSERTION'
UNION SELECT u.c0, u.c1 FROM unrecognised__2 u JOIN r_release r ON r.a = u.c0
UNION SELECT u.c0, 'no license' FROM unlicensed__2 u JOIN r_release r ON r.a = u.c0;

-- the licence matrix (OSADL) between the release and what it modifies

CREATE TABLE r_modified_from AS
WITH RECURSIVE m(c, p) AS (
    SELECT c, p FROM r_edge WHERE r IN ('finetune', 'adapter', 'merge', 'quantized')
    UNION SELECT m.c, e.p FROM m JOIN r_edge e ON e.c = m.p WHERE e.r IN ('finetune', 'adapter', 'merge', 'quantized')
) SELECT * FROM m;

CREATE TABLE r_matrix_license AS
WITH known AS (SELECT DISTINCT c1 AS m FROM osadl__3)
SELECT h.a, h.l, h.l AS m FROM r_holds h JOIN r_cone k ON k.a = h.a
WHERE NOT EXISTS (SELECT 1 FROM license_exception__3 x WHERE x.c0 = h.a AND x.c1 = h.l)
UNION SELECT h.a, h.l, CASE WHEN x.c2 IN (SELECT m FROM known) THEN x.c2 ELSE h.l END
FROM r_holds h JOIN r_cone k ON k.a = h.a JOIN license_exception__3 x ON x.c0 = h.a AND x.c1 = h.l;

CREATE TABLE r_matrix_judged AS
WITH pair AS (
    SELECT DISTINCT r.a, ma.m, mp.m AS n, f.p FROM r_release r JOIN r_matrix_license ma ON ma.a = r.a
    JOIN r_modified_from f ON f.c = r.a JOIN r_matrix_license mp ON mp.a = f.p
    WHERE ma.m <> mp.m AND f.p NOT IN (SELECT c0 FROM removed__1)
)
SELECT p.a, p.m, p.n FROM pair p JOIN r_matrix_license b ON b.a = p.p AND b.m = p.n
WHERE NOT EXISTS (SELECT 1 FROM r_embodies e WHERE e.a = p.a AND e.l = b.l AND e.t = 'share_alike')
UNION SELECT p.a, p.m, p.n FROM pair p JOIN r_matrix_license x ON x.a = p.a AND x.m = p.m
JOIN r_matrix_license y ON y.a = p.p AND y.l = x.l AND y.m = p.n;

-- obligations the release owes, and those it leaves unmet

CREATE TABLE r_checked AS
SELECT i.c0 AS a, i.c1 AS l, i.c2 AS t, c.c1 AS c FROM inherited__3 i JOIN r_release r ON r.a = i.c0
JOIN term_kind__2 k ON k.c0 = i.c2 AND k.c1 IN ('condition', 'limitation') JOIN term_check__2 c ON c.c0 = i.c2;

CREATE TABLE r_restated AS
SELECT k.a, k.l, k.t FROM r_checked k JOIN term_value__3 v ON v.c0 = k.l AND v.c1 = k.t
JOIN card_mentions__2 m ON m.c0 = k.a AND m.c1 = v.c2 WHERE k.c = 'restated'
UNION SELECT k.a, k.l, k.t FROM r_checked k JOIN ships_policy__1 s ON s.c0 = k.a WHERE k.c = 'restated';

CREATE TABLE r_notice_from AS
WITH RECURSIVE n(c, o, l, t) AS (
    SELECT v.c, v.p, v.l, v.t FROM r_via v JOIN r_holds h ON h.a = v.p AND h.l = v.l
    JOIN term_check__2 tc ON tc.c0 = v.t AND tc.c1 = 'notice'
    UNION SELECT v.c, n.o, n.l, n.t FROM n JOIN r_via v ON v.p = n.c AND v.l = n.l AND v.t = n.t
) SELECT * FROM n;

CREATE TABLE r_unmet AS
SELECT k.a, k.l, k.t FROM r_checked k WHERE k.c = 'license_text'
    AND k.a IN (SELECT c0 FROM ships_files__1)
    AND NOT EXISTS (SELECT 1 FROM ships_license__2 s WHERE s.c0 = k.a AND s.c1 = k.l)
    AND NOT EXISTS (SELECT 1 FROM uri_suffices__2 s WHERE s.c0 = k.l AND s.c1 = k.t)
UNION SELECT k.a, k.l, k.t FROM r_checked k JOIN r_notice_from n ON n.c = k.a AND n.l = k.l AND n.t = k.t
WHERE k.c = 'notice' AND n.o IN (SELECT c0 FROM has_notice__1) AND k.a IN (SELECT c0 FROM ships_files__1)
    AND NOT EXISTS (SELECT 1 FROM repeats_notice__2 r WHERE r.c0 = k.a AND r.c1 = n.o)
UNION SELECT k.a, k.l, k.t FROM r_checked k JOIN r_release r ON r.a = k.a JOIN term_value__3 v ON v.c0 = k.l AND v.c1 = k.t
WHERE k.c = 'name_prefix' AND r.d IN (SELECT d FROM r_shares) AND k.a IN (SELECT c0 FROM asset__2 WHERE c1 = 'model')
    AND NOT EXISTS (SELECT 1 FROM name_starts__2 s WHERE s.c0 = k.a AND s.c1 = v.c2)
UNION SELECT k.a, k.l, k.t FROM r_checked k JOIN r_release r ON r.a = k.a
WHERE k.c = 'card_phrase' AND r.d IN (SELECT d FROM r_shares) AND NOT EXISTS (
    SELECT 1 FROM card_mentions__2 m WHERE m.c0 = k.a AND (
        m.c1 IN (SELECT c2 FROM term_value__3 WHERE c0 = k.l AND c1 = k.t)
        OR m.c1 IN (SELECT c2 FROM term_accepts__3 WHERE c0 = k.l AND c1 = k.t)))
UNION SELECT k.a, k.l, k.t FROM r_checked k WHERE k.c = 'restated'
    AND NOT EXISTS (SELECT 1 FROM r_restated s WHERE s.a = k.a AND s.l = k.l AND s.t = k.t)
UNION SELECT k.a, k.l, k.t FROM r_checked k JOIN r_embodies e ON e.a = k.a AND e.l = k.l AND e.t = k.t
JOIN r_triggered g ON g.a = k.a AND g.l = k.l JOIN r_declared d ON d.a = k.a
WHERE k.c = 'declared_license'
    AND NOT EXISTS (SELECT 1 FROM r_sa_compatible s WHERE s.l = k.l AND s.m = d.l)
    AND NOT EXISTS (SELECT 1 FROM r_unsure s WHERE s.l = d.l AND s.o = k.l)
UNION SELECT k.a, k.l, k.t FROM r_checked k JOIN r_release r ON r.a = k.a JOIN use_rank__2 u ON u.c0 = k.t
JOIN (VALUES ('commercial', 1), ('non_commercial', 2), ('research', 3)) w(u, m) ON w.u = r.u
WHERE k.c = 'use' AND u.c1 > w.m;

-- documentation of the release

CREATE TABLE r_described AS
SELECT s.a FROM r_scope s WHERE s.a IN (SELECT c0 FROM asset__2) AND s.a NOT IN (SELECT c0 FROM unresolved__1);

CREATE TABLE r_lacks AS
WITH documented AS (
    SELECT r.a, p.c0 AS p FROM r_release r JOIN asset__2 s ON s.c0 = r.a JOIN profile__2 p ON p.c1 = s.c1
    WHERE p.c0 IN (SELECT c0 FROM selected__1) AND r.a IN (SELECT a FROM r_scope) AND (
        (r.a IN (SELECT a FROM r_described) AND p.c0 NOT IN (SELECT c0 FROM profile_format__2))
        OR EXISTS (SELECT 1 FROM profile_format__2 f JOIN described_in__2 d ON d.c1 = f.c1 WHERE f.c0 = p.c0 AND d.c0 = r.a))
), meets AS (
    SELECT d.a, d.p, h.c2 AS i FROM documented d JOIN heading__5 h ON h.c0 = d.a AND h.c1 = d.p WHERE h.c4 = 'filled'
    UNION SELECT d.a, d.p, f.c1 FROM documented d JOIN item_field__3 f ON f.c0 = d.p JOIN states__2 s ON s.c0 = d.a AND s.c1 = f.c2
    UNION SELECT d.a, d.p, i.c1 FROM documented d JOIN item_license__2 i ON i.c0 = d.p
    WHERE EXISTS (SELECT 1 FROM r_holds h JOIN license__2 x ON x.c0 = h.l WHERE h.a = d.a)
)
SELECT DISTINCT d.a, d.p, i.c1 AS i FROM documented d JOIN item__2 i ON i.c0 = d.p
WHERE NOT EXISTS (SELECT 1 FROM meets m WHERE m.a = d.a AND m.p = d.p AND m.i = i.c1);

-- the findings

CREATE TABLE r_sa_checked AS
SELECT a, l FROM r_declared
UNION SELECT h.a, h.l FROM r_holds h JOIN r_cone k ON k.a = h.a
WHERE h.a NOT IN (SELECT a FROM r_release) AND h.l IN (SELECT c0 FROM license__2);

CREATE TABLE r_sa_embodied AS  -- share-alike licences a checked licence may conflict with
SELECT c.a, c.l, e.l AS o FROM r_sa_checked c JOIN r_embodies e ON e.a = c.a AND e.t = 'share_alike'
JOIN r_triggered g ON g.a = c.a AND g.l = e.l WHERE c.l <> e.l;

CREATE TABLE r_inherited AS SELECT c0 AS a, c1 AS l, c2 AS t FROM inherited__3 WHERE c0 IN (SELECT a FROM r_release);

INSERT INTO finding__2
SELECT 'CMP012', a FROM r_inherited WHERE l = 'NOASSERTION' AND t = 'unknown_terms'
    AND a IN (SELECT a FROM r_release WHERE u = 'commercial')
UNION SELECT 'CMP012', a FROM r_derived_unknown WHERE a IN (SELECT a FROM r_release)
UNION SELECT 'PRV002', c0 FROM unresolved__1 WHERE c0 IN (SELECT a FROM r_scope)
UNION SELECT 'PRV005', a FROM r_described WHERE a NOT IN (SELECT c0 FROM has_source__1)
UNION SELECT 'PRV006', a FROM r_described WHERE a NOT IN (SELECT c0 FROM has_supplier__1)
UNION SELECT 'PRV008', r.a FROM r_release r WHERE r.d = 'weights' AND r.a IN (SELECT a FROM r_described)
    AND r.a IN (SELECT c0 FROM asset__2) AND r.a NOT IN (SELECT c0 FROM ships_files__1)
    AND r.a NOT IN (SELECT c0 FROM has_checksum__1)
UNION SELECT 'PRV010', c0 FROM in_cycle__2 WHERE c0 = c1 AND c0 IN (SELECT a FROM r_scope)
UNION SELECT 'PRV013', c0 FROM machine_generated__1 WHERE c0 IN (SELECT a FROM r_scope) AND c0 NOT IN (
    SELECT e.c0 FROM edge__3 e WHERE e.c2 = 'generated_by' AND e.c1 NOT IN (SELECT c0 FROM unresolved__1))
UNION SELECT 'PRV013', e.c0 FROM edge__3 e WHERE e.c2 = 'generated_by' AND e.c1 IN (SELECT c0 FROM unresolved__1)
    AND e.c0 IN (SELECT a FROM r_scope)
UNION SELECT 'DOC002', c0 FROM no_metadata__1 WHERE c0 IN (SELECT c0 FROM card__1);

INSERT INTO finding__3
SELECT 'LIC001', u.c0, ts(u.c1) FROM unrecognised__2 u WHERE u.c0 IN (SELECT a FROM r_scope)
    AND NOT EXISTS (SELECT 1 FROM unversioned__2 v WHERE v.c0 = u.c0 AND v.c1 = u.c1)
UNION SELECT 'LIC002', ch.c0, ts(al.c2) FROM chosen__2 ch JOIN alternative__3 al ON al.c0 = ch.c0 AND al.c1 = ch.c1
UNION SELECT 'LIC004', c0, ts(c1) FROM unversioned__2 WHERE c0 IN (SELECT a FROM r_scope)
UNION SELECT 'CMP004', a.a, ts(a.l) FROM r_adapts a JOIN r_release r ON r.a = a.a
    WHERE a.t = 'no_derivatives' AND r.d IN (SELECT d FROM r_shares)
UNION SELECT 'CMP007', i.a, ts(i.l) FROM r_inherited i WHERE i.t = 'pass_on_restrictions'
    AND NOT EXISTS (SELECT 1 FROM r_restated s WHERE s.a = i.a AND s.l = i.l AND s.t = i.t)
UNION SELECT 'CMP011', i.a, ts(i.l) FROM r_inherited i WHERE i.t = 'no_output_training'
    AND i.a IN (SELECT c0 FROM asset__2 WHERE c1 = 'model')
    AND NOT EXISTS (SELECT 1 FROM r_lineage_family f WHERE f.a = i.a AND f.l = i.l)
UNION SELECT 'CMP013', i.a, ts(i.l) FROM r_inherited i WHERE i.t = 'no_hosted_service'
    AND i.a IN (SELECT a FROM r_release WHERE d = 'api')
UNION SELECT 'PRV001', u.c0, ty(u.c1) FROM unlicensed__2 u WHERE u.c0 IN (SELECT a FROM r_scope)
    AND u.c0 NOT IN (SELECT c0 FROM unresolved__1)
UNION SELECT 'PRV009', c0, ti(c1) FROM unpinned__2 WHERE c0 IN (SELECT a FROM r_scope)
UNION SELECT 'PRV011', c0, ty(c2) FROM edge__3 WHERE c0 = c1 AND c0 IN (SELECT a FROM r_scope)
UNION SELECT 'PRV014', h.a, ts(h.l) FROM r_holds h JOIN r_scope s ON s.a = h.a
    WHERE h.a IN (SELECT c0 FROM asset__2) AND h.l IN (SELECT c0 FROM licensor_org__2)
    AND h.a NOT IN (SELECT c0 FROM edge__3 WHERE c2 <> 'evaluated_on')
    AND NOT EXISTS (SELECT 1 FROM r_licensor_of o WHERE o.a = h.a AND o.l = h.l);

INSERT INTO finding__4
SELECT 'LIC003', x.a, ts(x.l), ts(s.c1) FROM (
    SELECT h.a, h.l FROM r_holds h JOIN r_scope s ON s.a = h.a UNION SELECT a, l FROM r_inherited
) x JOIN stale__2 s ON s.c0 = x.l
UNION SELECT 'LIC005', h.a, ts(h.l), ts(c.c1) FROM r_holds h JOIN r_scope s ON s.a = h.a
    JOIN category_level__2 c ON c.c0 = h.l WHERE h.l IN (SELECT c0 FROM read_required__1)
UNION SELECT 'OBL001', a, ts(l), ty(t) FROM r_inherited WHERE t IN (SELECT c0 FROM term_kind__2 WHERE c1 = 'condition')
UNION SELECT 'OBL002', u.a, ts(u.l), ty(u.t) FROM r_unmet u JOIN term_check__2 c ON c.c0 = u.t
    WHERE u.t IN (SELECT c0 FROM term_kind__2 WHERE c1 = 'condition')
    AND c.c1 NOT IN (SELECT c1 FROM reports_check__2)
UNION SELECT 'CMP002', s.a, ts(s.l), ts(s.o) FROM r_sa_embodied s
    WHERE NOT EXISTS (SELECT 1 FROM r_sa_compatible c WHERE c.l = s.o AND c.m = s.l)
    AND NOT EXISTS (SELECT 1 FROM r_unsure u WHERE u.l = s.l AND u.o = s.o)
UNION SELECT 'CMP003', r.a, ts(e1.l), ts(e2.l) FROM r_release r
    JOIN r_embodies e1 ON e1.a = r.a AND e1.t = 'share_alike' JOIN r_triggered g1 ON g1.a = r.a AND g1.l = e1.l
    JOIN r_embodies e2 ON e2.a = r.a AND e2.t = 'share_alike' JOIN r_triggered g2 ON g2.a = r.a AND g2.l = e2.l
    WHERE e1.l < e2.l AND NOT EXISTS (SELECT 1 FROM r_sa_compatible c1 JOIN r_sa_compatible c2 ON c2.m = c1.m
        WHERE c1.l = e1.l AND c2.l = e2.l)
UNION SELECT 'CMP005', i1.a, ts(i1.l), ts(i2.l) FROM r_inherited i1 JOIN r_inherited i2 ON i2.a = i1.a
    JOIN r_triggered g ON g.a = i2.a AND g.l = i2.l
    WHERE i1.t = 'use_restrictions' AND i2.t = 'no_added_restrictions' AND i1.l <> i2.l
UNION SELECT 'CMP006', h.a, ts(h.l), ts(i.l) FROM r_holds h JOIN r_inherited i ON i.a = h.a
    WHERE h.l IN (SELECT c0 FROM license__2) AND i.t IN (SELECT c0 FROM persists__1) AND i.l <> h.l
    AND NOT EXISTS (SELECT 1 FROM r_covers c WHERE c.l = h.l AND c.t = i.t)
UNION SELECT 'CMP008', i.a, ts(i.l), ts(v.c2) FROM r_inherited i JOIN r_release r ON r.a = i.a
    JOIN term_value__3 v ON v.c0 = i.l AND v.c1 = i.t
    WHERE i.t = 'naming_prefix' AND r.d IN (SELECT d FROM r_shares) AND i.a IN (SELECT c0 FROM asset__2 WHERE c1 = 'model')
    AND NOT EXISTS (SELECT 1 FROM name_starts__2 s WHERE s.c0 = i.a AND s.c1 = v.c2)
UNION SELECT 'CMP009', i.a, ts(i.l), ts(v.c2) FROM r_inherited i JOIN r_release r ON r.a = i.a
    JOIN term_value__3 v ON v.c0 = i.l AND v.c1 = i.t
    WHERE i.t = 'display_notice' AND r.d IN (SELECT d FROM r_shares) AND NOT EXISTS (
        SELECT 1 FROM card_mentions__2 m WHERE m.c0 = i.a AND (
            m.c1 IN (SELECT c2 FROM term_value__3 WHERE c0 = i.l AND c1 = 'display_notice')
            OR m.c1 IN (SELECT c2 FROM term_accepts__3 WHERE c0 = i.l AND c1 = 'display_notice')))
UNION SELECT 'CMP014', j.a, ts(j.m), ts(j.n) FROM r_matrix_judged j
    JOIN osadl__3 o ON o.c0 = j.m AND o.c1 = j.n AND o.c2 = 'no'
UNION SELECT 'PRV003', d.c0, ty(d.c1), ts(d.c2) FROM disagrees__3 d WHERE d.c0 IN (SELECT a FROM r_scope)
UNION SELECT 'PRV004', m.c0, ti(m.c1), ts(m.c2) FROM name_match__3 m WHERE m.c0 IN (SELECT a FROM r_scope)
UNION SELECT 'PRV012', e.c0, ti(e.c1), ty(e.c2) FROM edge__3 e JOIN r_scope s ON s.a = e.c0
    WHERE e.c2 IN ('quantized', 'adapter') AND e.c1 IN (SELECT a FROM r_described) AND (
        EXISTS (SELECT 1 FROM r_holds h WHERE h.a = e.c0
            AND NOT EXISTS (SELECT 1 FROM r_holds g WHERE g.a = e.c1 AND g.l = h.l))
        OR EXISTS (SELECT 1 FROM r_holds h WHERE h.a = e.c1
            AND NOT EXISTS (SELECT 1 FROM r_holds g WHERE g.a = e.c0 AND g.l = h.l)))
UNION SELECT 'DOC001', l.a, ts(l.p), ts(l.i) FROM r_lacks l
    JOIN required_item__2 q ON q.c0 = l.p AND q.c1 = l.i
UNION SELECT 'INP003', 0, ti(c0), ts(c1) FROM release_unidentified__2;

INSERT INTO finding__5
SELECT 'CMP001', i.a, ts(i.l), ty(i.t), ty(r.u) FROM r_inherited i JOIN r_release r ON r.a = i.a
    JOIN use_rank__2 u ON u.c0 = i.t
    JOIN (VALUES ('commercial', 1), ('non_commercial', 2), ('research', 3)) w(u, m) ON w.u = r.u
    WHERE u.c1 > w.m
UNION SELECT 'CMP010', r.a, ti(e.c1), ts(h.l), ty(r.u) FROM r_release r
    JOIN edge__3 e ON e.c0 = r.a AND e.c2 = 'evaluated_on' JOIN r_holds h ON h.a = e.c1
    JOIN term__2 t ON t.c0 = h.l JOIN use_rank__2 u ON u.c0 = t.c1
    JOIN (VALUES ('commercial', 1), ('non_commercial', 2), ('research', 3)) w(u, m) ON w.u = r.u
    WHERE u.c1 > w.m
UNION SELECT 'CMP015', j.a, ts(j.m), ts(j.n), ty(o.c2) FROM r_matrix_judged j
    JOIN osadl__3 o ON o.c0 = j.m AND o.c1 = j.n JOIN r_unsure u ON u.l = j.m AND u.o = j.n
UNION SELECT 'CMP015', s.a, ts(s.l), ts(s.o), ty(o.c2) FROM r_sa_embodied s
    JOIN osadl__3 o ON o.c0 = s.l AND o.c1 = s.o JOIN r_unsure u ON u.l = s.l AND u.o = s.o
UNION SELECT 'PRV007', c0, ts(c1), ts(c2), ts(c3) FROM checksum_mismatch__4 WHERE c0 IN (SELECT a FROM r_scope)
UNION SELECT 'INP001', c0, ts(c1), ty(c2), ts(c3) FROM problem__4
    WHERE c2 IN ('too_large', 'binary', 'not_utf8', 'unreadable', 'bad_front_matter', 'malformed', 'refused', 'bad_row')
UNION SELECT 'INP002', c0, ts(c1), ty(c2), ts(c3) FROM problem__4
    WHERE c2 NOT IN ('too_large', 'binary', 'not_utf8', 'unreadable', 'bad_front_matter', 'malformed', 'refused', 'bad_row');
