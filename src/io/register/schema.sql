-- The shared measures register of the StädteRegion and its municipalities (PostgreSQL + PostGIS).
-- Written by `sozialraum-atlas project publish`; readable in QGIS as ordinary layers.
-- Rights are enforced here, not in the program: roles and row-level security hold for psql
-- and QGIS alike. {schema} is replaced by the schema's name.
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE SCHEMA IF NOT EXISTS {schema};

-- Roles are the cluster's, not the database's: two publishes at once (into two databases)
-- may both find a role missing; the second one's CREATE is then no error.
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'atlas_lesen') THEN
        BEGIN CREATE ROLE atlas_lesen NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'atlas_region') THEN
        BEGIN CREATE ROLE atlas_region NOLOGIN IN ROLE atlas_lesen;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'atlas_kommune') THEN
        BEGIN CREATE ROLE atlas_kommune NOLOGIN IN ROLE atlas_lesen;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END;
    END IF;
END $$;

-- Which role plans for which municipality (one role per Kommune, member of atlas_kommune).
CREATE TABLE IF NOT EXISTS {schema}.kommune_rollen (
    rolle name PRIMARY KEY,
    kommune text NOT NULL
);

CREATE TABLE IF NOT EXISTS {schema}.sozialraeume (
    code text PRIMARY KEY,
    name text,
    kommune text,
    handlungsfelder text,
    geom geometry(MultiPolygon, 4326) NOT NULL
);
-- Every attribute of the area as the project exports it (indicator values included), so a
-- window can make its local copy from the register alone.
ALTER TABLE {schema}.sozialraeume ADD COLUMN IF NOT EXISTS merkmale jsonb;
CREATE INDEX IF NOT EXISTS sozialraeume_geom ON {schema}.sozialraeume USING gist (geom);

-- Catalogue, rules, overrides, saved views: the region's, as JSON by kind and key.
CREATE TABLE IF NOT EXISTS {schema}.einstellungen (
    art text NOT NULL,
    schluessel text NOT NULL,
    inhalt text NOT NULL,
    revision bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (art, schluessel)
);

CREATE TABLE IF NOT EXISTS {schema}.massnahmen (
    uid uuid PRIMARY KEY,
    nummer bigserial UNIQUE,
    revision bigint NOT NULL DEFAULT 1,
    titel text NOT NULL,
    beschreibung text NOT NULL DEFAULT '',
    handlungsfelder text NOT NULL DEFAULT '',
    sozialraeume text[] NOT NULL DEFAULT '{}',
    kommunen text[] NOT NULL DEFAULT '{}',
    verantwortung text NOT NULL,
    federfuehrung text NOT NULL DEFAULT '',
    partner text NOT NULL DEFAULT '',
    status text NOT NULL,
    beginn date,
    ende date,
    budget_eur double precision,
    prioritaet text,
    notizen text NOT NULL DEFAULT '',
    erstellt timestamptz NOT NULL DEFAULT now(),
    geaendert timestamptz NOT NULL DEFAULT now(),
    geaendert_von name NOT NULL DEFAULT current_user
);

-- The id of the last change made by Sozialraum-Atlas (a retry is recognised by it); cleared
-- by the trigger when anyone else changes the row.
ALTER TABLE {schema}.massnahmen ADD COLUMN IF NOT EXISTS aenderung uuid;

-- Who changed what, when: append-only, written by a trigger (so edits made in QGIS or psql
-- are recorded too); nobody may change or delete a line of it.
CREATE TABLE IF NOT EXISTS {schema}.massnahmen_verlauf (
    id bigserial PRIMARY KEY,
    uid uuid NOT NULL,
    benutzer name NOT NULL,
    zeit timestamptz NOT NULL DEFAULT clock_timestamp(),
    aktion text NOT NULL,
    vorher jsonb,
    nachher jsonb
);

CREATE OR REPLACE FUNCTION {schema}.massnahme_geaendert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        NEW.revision := OLD.revision + 1;
        NEW.geaendert := now();
        NEW.geaendert_von := current_user;
        IF NEW.aenderung IS NOT DISTINCT FROM OLD.aenderung THEN
            NEW.aenderung := NULL;
        END IF;
    ELSIF TG_OP = 'INSERT' THEN
        NEW.geaendert_von := current_user;
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION {schema}.massnahme_verlauf() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, {schema} AS $$
BEGIN
    INSERT INTO {schema}.massnahmen_verlauf (uid, benutzer, aktion, vorher, nachher)
    VALUES (
        COALESCE(NEW.uid, OLD.uid),
        session_user,
        lower(TG_OP),
        CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END,
        CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END
    );
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS massnahmen_revision ON {schema}.massnahmen;
CREATE TRIGGER massnahmen_revision BEFORE INSERT OR UPDATE ON {schema}.massnahmen
    FOR EACH ROW EXECUTE FUNCTION {schema}.massnahme_geaendert();
DROP TRIGGER IF EXISTS massnahmen_verlauf ON {schema}.massnahmen;
CREATE TRIGGER massnahmen_verlauf AFTER INSERT OR UPDATE OR DELETE ON {schema}.massnahmen
    FOR EACH ROW EXECUTE FUNCTION {schema}.massnahme_verlauf();

-- Windows on the register are told of every commit (LISTEN {schema}_geaendert), so others'
-- changes show within a fraction of a second; the table's name is the payload.
CREATE OR REPLACE FUNCTION {schema}.melden() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('{schema}_geaendert', TG_TABLE_NAME);
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS massnahmen_melden ON {schema}.massnahmen;
CREATE TRIGGER massnahmen_melden AFTER INSERT OR UPDATE OR DELETE ON {schema}.massnahmen
    FOR EACH STATEMENT EXECUTE FUNCTION {schema}.melden();
DROP TRIGGER IF EXISTS einstellungen_melden ON {schema}.einstellungen;
CREATE TRIGGER einstellungen_melden AFTER INSERT OR UPDATE OR DELETE ON {schema}.einstellungen
    FOR EACH STATEMENT EXECUTE FUNCTION {schema}.melden();

-- Rights.
REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM PUBLIC;
GRANT USAGE ON SCHEMA {schema} TO atlas_lesen;
GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO atlas_lesen;
GRANT INSERT, UPDATE, DELETE ON {schema}.sozialraeume, {schema}.einstellungen,
    {schema}.kommune_rollen TO atlas_region;
GRANT INSERT, UPDATE, DELETE ON {schema}.massnahmen TO atlas_region, atlas_kommune;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO atlas_region, atlas_kommune;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON {schema}.massnahmen_verlauf FROM PUBLIC,
    atlas_lesen, atlas_region, atlas_kommune;

-- A municipality's planners change the measures that concern their municipality (alone or
-- jointly) and read all others; the region's planners change everything.
CREATE OR REPLACE FUNCTION {schema}.eigene_kommunen() RETURNS text[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, {schema} AS $$
    SELECT coalesce(array_agg(kommune), '{}') FROM {schema}.kommune_rollen
    WHERE pg_has_role(session_user, rolle, 'MEMBER')
$$;

ALTER TABLE {schema}.massnahmen ENABLE ROW LEVEL SECURITY;
ALTER TABLE {schema}.massnahmen FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS lesen ON {schema}.massnahmen;
CREATE POLICY lesen ON {schema}.massnahmen FOR SELECT TO atlas_lesen USING (true);
DROP POLICY IF EXISTS region ON {schema}.massnahmen;
CREATE POLICY region ON {schema}.massnahmen FOR ALL TO atlas_region USING (true) WITH CHECK (true);
DROP POLICY IF EXISTS kommune ON {schema}.massnahmen;
CREATE POLICY kommune ON {schema}.massnahmen FOR ALL TO atlas_kommune
    USING (kommunen && {schema}.eigene_kommunen())
    WITH CHECK (kommunen && {schema}.eigene_kommunen());
