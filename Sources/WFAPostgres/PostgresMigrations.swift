import Foundation

/// The versioned schema. A migration is never edited once released; changes are new versions.
///
/// `PostgresDatabase.open` applies the missing ones in order, each in its own transaction under
/// an advisory lock, so two processes starting together cannot both migrate.
enum PostgresMigrations {
    struct Migration: Sendable {
        var version: Int
        var name: String
        var sql: String
    }

    static let all: [Migration] = [
        Migration(version: 1, name: "initial schema", sql: initialSchema),
        Migration(version: 2, name: "partition creation safe across processes", sql: concurrentPartitions),
        Migration(version: 3, name: "incidents.merged_into as a column", sql: mergedIntoColumn),
        Migration(version: 4, name: "notification channels, rules and deliveries", sql: notifications),
        Migration(
            version: 5, name: "edges know their days and are indexed by endpoint instead of edge days",
            sql: edgeDaysOnEdges),
        Migration(version: 6, name: "graph epoch for caches of known edges", sql: graphEpoch),
        Migration(version: 7, name: "graph rows updated in place", sql: graphRowsUpdatedInPlace),
        Migration(version: 8, name: "graph writers settle a lost commit", sql: graphWriters),
    ]

    static var latestVersion: Int { all.map(\.version).max() ?? 0 }

    // Design notes:
    // - artifacts and edge_days are range-partitioned by UTC day; retention drops whole partitions.
    //   Days outside the window of ready partitions land in *_default; wfa_ensure_day_partition moves
    //   such rows into a new partition when one is created for their day.
    // - Documents are `json`, not `jsonb`: logs carry \u0000, which jsonb rejects, and wfa decodes
    //   documents itself; the indexed fields are columns.
    // - ids, node values and other sort keys use the "C" collation, so ordering and prefix search are
    //   byte-wise and the same on every server locale (and match the in-memory reference).
    private static let initialSchema = #"""
        CREATE TABLE artifacts (
            id text COLLATE "C" NOT NULL,
            ts timestamptz NOT NULL,
            org_id text COLLATE "C" NOT NULL,
            received_at timestamptz NOT NULL,
            source text NOT NULL,
            stream_name text NOT NULL,
            message_type text NOT NULL,
            severity_code smallint NOT NULL,
            entities text[] NOT NULL,
            doc json NOT NULL,
            raw bytea NOT NULL,
            PRIMARY KEY (id, ts)
        ) PARTITION BY RANGE (ts);
        CREATE INDEX artifacts_org_time ON artifacts (org_id, ts DESC, id DESC);
        CREATE INDEX artifacts_time_brin ON artifacts USING brin (ts);
        CREATE INDEX artifacts_entities ON artifacts USING gin (entities);
        CREATE TABLE artifacts_default PARTITION OF artifacts DEFAULT;

        CREATE TABLE edge_days (
            org_id text COLLATE "C" NOT NULL,
            edge_id text COLLATE "C" NOT NULL,
            day date NOT NULL,
            source_id text COLLATE "C" NOT NULL,
            target_id text COLLATE "C" NOT NULL,
            type text NOT NULL,
            first_seen timestamptz NOT NULL,
            last_seen timestamptz NOT NULL,
            artifact_count bigint NOT NULL,
            bytes bigint NOT NULL,
            PRIMARY KEY (org_id, edge_id, day)
        ) PARTITION BY RANGE (day);
        CREATE INDEX edge_days_source ON edge_days (org_id, source_id);
        CREATE INDEX edge_days_target ON edge_days (org_id, target_id);
        CREATE TABLE edge_days_default PARTITION OF edge_days DEFAULT;

        CREATE TABLE edges (
            org_id text COLLATE "C" NOT NULL,
            id text COLLATE "C" NOT NULL,
            source_id text COLLATE "C" NOT NULL,
            target_id text COLLATE "C" NOT NULL,
            PRIMARY KEY (org_id, id)
        );

        CREATE TABLE nodes (
            org_id text COLLATE "C" NOT NULL,
            id text COLLATE "C" NOT NULL,
            type text COLLATE "C" NOT NULL,
            value text COLLATE "C" NOT NULL,
            managed boolean NOT NULL,
            internal boolean NOT NULL,
            trusted boolean NOT NULL,
            infrastructure boolean NOT NULL,
            frameworks json NOT NULL DEFAULT '[]',
            first_seen timestamptz NOT NULL,
            last_seen timestamptz NOT NULL,
            artifact_count bigint NOT NULL,
            edge_count bigint NOT NULL DEFAULT 0,
            PRIMARY KEY (org_id, id)
        );
        CREATE INDEX nodes_type_value ON nodes (org_id, type, value);
        CREATE INDEX nodes_last_seen ON nodes (last_seen);

        CREATE TABLE graph_deltas (
            org_id text COLLATE "C" NOT NULL,
            id text COLLATE "C" NOT NULL,
            seen_at timestamptz NOT NULL,
            PRIMARY KEY (org_id, id)
        );
        CREATE INDEX graph_deltas_seen ON graph_deltas (seen_at);

        CREATE TABLE incidents (
            id text COLLATE "C" PRIMARY KEY,
            org_id text COLLATE "C" NOT NULL,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            status smallint NOT NULL,
            severity_rank smallint NOT NULL,
            assignee text,
            doc json NOT NULL
        );
        CREATE INDEX incidents_org_created ON incidents (org_id, created_at DESC, id DESC);
        CREATE INDEX incidents_updated ON incidents (updated_at);

        CREATE TABLE work_units (
            id text COLLATE "C" PRIMARY KEY,
            org_id text COLLATE "C" NOT NULL,
            incident_id text COLLATE "C" NOT NULL,
            created_at timestamptz NOT NULL,
            updated_at timestamptz NOT NULL,
            doc json NOT NULL
        );
        CREATE INDEX work_units_incident ON work_units (org_id, incident_id, created_at, id);
        CREATE INDEX work_units_updated ON work_units (updated_at);

        CREATE TABLE observations (
            id text COLLATE "C" PRIMARY KEY,
            org_id text COLLATE "C" NOT NULL,
            incident_id text,
            node_id text,
            observed_at timestamptz NOT NULL,
            doc json NOT NULL
        );
        CREATE INDEX observations_org_time ON observations (org_id, observed_at DESC, id DESC);

        CREATE TABLE rules (
            org_id text COLLATE "C" NOT NULL,
            kind text NOT NULL,
            id text COLLATE "C" NOT NULL,
            doc json NOT NULL,
            PRIMARY KEY (org_id, kind, id)
        );

        CREATE TABLE reports (
            id text COLLATE "C" PRIMARY KEY,
            org_id text COLLATE "C" NOT NULL,
            kind text NOT NULL,
            created_at timestamptz NOT NULL,
            doc json NOT NULL
        );
        CREATE INDEX reports_org_created ON reports (org_id, created_at DESC, id DESC);
        CREATE INDEX reports_created ON reports (created_at);

        CREATE TABLE orgs (
            id text COLLATE "C" PRIMARY KEY,
            name text COLLATE "C" NOT NULL,
            doc json NOT NULL
        );

        CREATE TABLE users (
            id text COLLATE "C" PRIMARY KEY,
            org_id text COLLATE "C" NOT NULL,
            email text COLLATE "C" NOT NULL UNIQUE,
            doc json NOT NULL
        );
        CREATE INDEX users_org_email ON users (org_id, email);

        CREATE TABLE roles (
            id text COLLATE "C" PRIMARY KEY,
            org_id text COLLATE "C" NOT NULL,
            name text COLLATE "C" NOT NULL,
            doc json NOT NULL
        );
        CREATE INDEX roles_org_name ON roles (org_id, name);

        CREATE TABLE api_keys (
            id text COLLATE "C" PRIMARY KEY,
            org_id text COLLATE "C" NOT NULL,
            secret_hash text NOT NULL UNIQUE,
            created_at timestamptz NOT NULL,
            doc json NOT NULL
        );
        CREATE INDEX api_keys_org_created ON api_keys (org_id, created_at DESC, id DESC);

        CREATE TABLE settings (
            scope text NOT NULL,
            key text NOT NULL,
            value json NOT NULL,
            PRIMARY KEY (scope, key)
        );

        -- Creates the partition of `parent` (artifacts or edge_days) for one UTC day, moving any rows
        -- for that day out of the default partition first. Serialized by an advisory lock.
        CREATE FUNCTION wfa_ensure_day_partition(parent text, day date) RETURNS boolean
        LANGUAGE plpgsql AS $$
        DECLARE
            child text := parent || '_p' || to_char(day, 'YYYYMMDD');
            key_column text;
            lower_bound text;
            upper_bound text;
        BEGIN
            IF parent NOT IN ('artifacts', 'edge_days') THEN
                RAISE EXCEPTION 'not a day-partitioned table: %', parent;
            END IF;
            IF to_regclass(child) IS NOT NULL THEN
                RETURN false;
            END IF;
            PERFORM pg_advisory_xact_lock(hashtext('wfa.partitions'));
            IF to_regclass(child) IS NOT NULL THEN
                RETURN false;
            END IF;
            IF parent = 'artifacts' THEN
                key_column := 'ts';
                lower_bound := quote_literal(to_char(day, 'YYYY-MM-DD') || ' 00:00:00+00');
                upper_bound := quote_literal(to_char(day + 1, 'YYYY-MM-DD') || ' 00:00:00+00');
            ELSE
                key_column := 'day';
                lower_bound := quote_literal(to_char(day, 'YYYY-MM-DD'));
                upper_bound := quote_literal(to_char(day + 1, 'YYYY-MM-DD'));
            END IF;
            EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', child, parent);
            EXECUTE format(
                'WITH moved AS (DELETE FROM %I WHERE %I >= %s AND %I < %s RETURNING *) INSERT INTO %I SELECT * FROM moved',
                parent || '_default', key_column, lower_bound, key_column, upper_bound, child);
            EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%s) TO (%s)',
                parent, child, lower_bound, upper_bound);
            RETURN true;
        END
        $$;
        """#

    // Version 2: in a function, `to_regclass` after the advisory lock can still read a catalog
    // snapshot from before another process's CREATE committed, so two processes opening the
    // database together (split roles) could both try to create a day's partition. The loser now
    // finds the table taken and returns.
    private static let concurrentPartitions = #"""
        CREATE OR REPLACE FUNCTION wfa_ensure_day_partition(parent text, day date) RETURNS boolean
        LANGUAGE plpgsql AS $$
        DECLARE
            child text := parent || '_p' || to_char(day, 'YYYYMMDD');
            key_column text;
            lower_bound text;
            upper_bound text;
        BEGIN
            IF parent NOT IN ('artifacts', 'edge_days') THEN
                RAISE EXCEPTION 'not a day-partitioned table: %', parent;
            END IF;
            IF to_regclass(child) IS NOT NULL THEN
                RETURN false;
            END IF;
            PERFORM pg_advisory_xact_lock(hashtext('wfa.partitions'));
            IF to_regclass(child) IS NOT NULL THEN
                RETURN false;
            END IF;
            IF parent = 'artifacts' THEN
                key_column := 'ts';
                lower_bound := quote_literal(to_char(day, 'YYYY-MM-DD') || ' 00:00:00+00');
                upper_bound := quote_literal(to_char(day + 1, 'YYYY-MM-DD') || ' 00:00:00+00');
            ELSE
                key_column := 'day';
                lower_bound := quote_literal(to_char(day, 'YYYY-MM-DD'));
                upper_bound := quote_literal(to_char(day + 1, 'YYYY-MM-DD'));
            END IF;
            BEGIN
                EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', child, parent);
            EXCEPTION WHEN duplicate_table THEN
                -- Another process made it between our check and here.
                RETURN false;
            END;
            EXECUTE format(
                'WITH moved AS (DELETE FROM %I WHERE %I >= %s AND %I < %s RETURNING *) INSERT INTO %I SELECT * FROM moved',
                parent || '_default', key_column, lower_bound, key_column, upper_bound, child);
            EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%s) TO (%s)',
                parent, child, lower_bound, upper_bound);
            RETURN true;
        END
        $$;
        """#

    /// Listing skips merged incidents by a column: reading `doc->>'merged_into'` converts the whole
    /// document, and fails on any note that holds a `\u0000` escape (valid JSON, invalid text).
    static let mergedIntoColumn = #"""
        ALTER TABLE incidents ADD COLUMN merged_into text COLLATE "C";
        UPDATE incidents SET merged_into = substring(doc::text FROM '"merged_into":"([^"]+)"')
            WHERE strpos(doc::text, '"merged_into"') > 0;
        """#

    static let notifications = #"""
        CREATE TABLE notification_config (
            org_id text COLLATE "C" NOT NULL,
            kind text NOT NULL,
            id text COLLATE "C" NOT NULL,
            name text NOT NULL,
            doc json NOT NULL,
            PRIMARY KEY (org_id, kind, id)
        );
        CREATE TABLE notification_deliveries (
            id text COLLATE "C" PRIMARY KEY,
            org_id text COLLATE "C" NOT NULL,
            created_at timestamptz NOT NULL,
            doc json NOT NULL
        );
        CREATE INDEX notification_deliveries_org_time ON notification_deliveries (org_id, created_at DESC, id DESC);
        """#

    /// Walks and edge searches read edges per endpoint, newest first, from the unpartitioned `edges`
    /// table: through `edge_days` they probed every day's partition for every node and edge (and
    /// each edge-day row paid for two endpoint indexes, now gone). `first_day` and `last_day` order
    /// the walk and bound the days an edge's totals are summed over.
    static let edgeDaysOnEdges = #"""
        ALTER TABLE edges ADD COLUMN first_day date, ADD COLUMN last_day date;
        UPDATE edges SET first_day = d.first_day, last_day = d.last_day
            FROM (SELECT org_id, edge_id, min(day) AS first_day, max(day) AS last_day
                  FROM edge_days GROUP BY org_id, edge_id) AS d
            WHERE d.org_id = edges.org_id AND d.edge_id = edges.id;
        DELETE FROM edges WHERE first_day IS NULL;
        ALTER TABLE edges ALTER COLUMN first_day SET NOT NULL, ALTER COLUMN last_day SET NOT NULL;
        CREATE INDEX edges_source ON edges (org_id, source_id, last_day DESC);
        CREATE INDEX edges_target ON edges (org_id, target_id, last_day DESC);
        DROP INDEX edge_days_source;
        DROP INDEX edge_days_target;
        """#

    /// One row whose lock and generation order graph writes against the purge (see `KnownEdges`).
    /// It starts at a random generation, so a process that outlives its database being dropped and
    /// made again does not take the new one's first generation for the one it cached under.
    static let graphEpoch = #"""
        CREATE TABLE graph_epoch (
            singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
            generation bigint NOT NULL
        );
        INSERT INTO graph_epoch (generation) VALUES ((random() * 1e15)::bigint);
        """#

    /// Nodes and edge days are updated by nearly every event, and each update of a row whose
    /// indexed columns stay the same can stay on its page with no new index entries (a HOT update)
    /// when the page has room. Two things stood in the way:
    /// - `nodes_last_seen` indexed a column every update changes, so each update added an entry to
    ///   all three node indexes. Only the retention purge read it; it now scans `nodes` once a run.
    /// - Pages were filled completely, so an updated row moved to another page. Node and edge-day
    ///   pages now keep a fifth free (new edge-day partitions too).
    /// In a micro-benchmark of 100,000 upserts with advancing `last_seen` over 7,000 nodes, a row
    /// cost 25 µs with the index, 16–19 µs without, and 8.5–9 µs without it at fillfactor 80.
    static let graphRowsUpdatedInPlace =
        #"""
        DROP INDEX nodes_last_seen;
        ALTER TABLE nodes SET (fillfactor = 80);
        DO $$
        DECLARE partition regclass;
        BEGIN
            FOR partition IN SELECT inhrelid::regclass FROM pg_inherits WHERE inhparent = 'edge_days'::regclass LOOP
                EXECUTE format('ALTER TABLE %s SET (fillfactor = 80)', partition);
            END LOOP;
        END
        $$;
        """# + concurrentPartitions.replacingOccurrences(of: partitionCreation, with: partitionCreationWithRoom)

    /// A graph writer that needs no delta ledger (an in-process pipeline) records the batch it is
    /// committing in its own row, in the batch's transaction. When its connection fails during
    /// COMMIT it reads the row back (waiting on the row lock while that transaction still runs) to
    /// learn whether the batch was applied, instead of applying it again.
    static let graphWriters = #"""
        CREATE TABLE graph_writers (
            writer text COLLATE "C" PRIMARY KEY,
            batch text COLLATE "C" NOT NULL,
            written_at timestamptz NOT NULL
        );
        """#

    private static let partitionCreation = """
        EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', child, parent);
        """
    private static let partitionCreationWithRoom = """
        EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', child, parent);
                IF parent = 'edge_days' THEN
                    EXECUTE format('ALTER TABLE %I SET (fillfactor = 80)', child);
                END IF;
        """
}
