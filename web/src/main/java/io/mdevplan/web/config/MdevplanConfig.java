package io.mdevplan.web.config;

import java.nio.file.Path;

import io.smallrye.config.ConfigMapping;

/** The service's own settings (mdevplan.*); the datasource keeps Quarkus' quarkus.datasource.* keys. */
@ConfigMapping(prefix = "mdevplan")
public interface MdevplanConfig {

    /**
     * Where the embedded PostgreSQL keeps its data when no quarkus.datasource.jdbc.url is set (env MDEVPLAN_DATA_DIR).
     * The server itself starts from config (EmbeddedDatabaseConfigSourceFactory reads the same key, before beans).
     */
    Path dataDir();
}
