-- Which node runs the periodic mirror crawl (PostgreSQL dialect of sqlite/V5__mirror_crawl_lease.sql).
CREATE TABLE mirror_crawl_lease (
    id          INTEGER NOT NULL,
    holder      TEXT    NOT NULL,
    expires_at  BIGINT  NOT NULL,
    CONSTRAINT mirror_crawl_lease_pk PRIMARY KEY (id),
    CONSTRAINT mirror_crawl_lease_single_row CHECK (id = 1)
);
