package io.mdevplan.web.database;

import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.mdevplan.web.config.MdevplanConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/** Reports which database the service uses, and stops the embedded one when the application stops. */
@Singleton
public final class EmbeddedDatabaseLifecycle {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabaseLifecycle.class);

    private final MdevplanConfig config;
    private final AgroalDataSource dataSource;

    EmbeddedDatabaseLifecycle(MdevplanConfig config, AgroalDataSource dataSource) {
        this.config = config;
        this.dataSource = dataSource;
    }

    void onStart(@Observes StartupEvent event) {
        if (EmbeddedPostgresServer.current() == null) {
            LOG.info("Using the PostgreSQL of quarkus.datasource.jdbc.url");
        } else {
            LOG.infof("Using the embedded PostgreSQL; its data stays in %s (mdevplan.data-dir)", config.dataDir());
        }
    }

    /** Last of the shutdown observers; the pool closes first so no connection outlives the server. */
    void onStop(@Observes @Priority(Integer.MAX_VALUE) ShutdownEvent event) {
        if (EmbeddedPostgresServer.current() == null) {
            return;
        }
        dataSource.close();
        EmbeddedPostgresServer.stop();
    }
}
