package dev.thimble.ruledesigner;

import dev.thimble.runtime.AppHost;
import org.bson.Document;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** {@link ClinicHost} for tests in other packages (the ui tests). */
public final class ClinicHostAccess implements AutoCloseable {
    public static final Path CLINIC = ClinicHost.CLINIC;
    private final ClinicHost clinic;

    private ClinicHostAccess(ClinicHost clinic) {
        this.clinic = clinic;
    }

    public static ClinicHostAccess start(Path temp, boolean withoutPatientsRule) throws IOException {
        return new ClinicHostAccess(ClinicHost.start(temp, withoutPatientsRule));
    }

    public AppHost host() { return clinic.host; }
    public Path appDir() { return clinic.appDir; }
    public String staff(String email, String role, String ward) { return clinic.staff(email, role, ward); }
    public void seedPatients(String doctorId) { clinic.seedPatients(doctorId); }
    public String login(String email) throws IOException, InterruptedException { return clinic.login(email); }
    public List<Document> findPatients(String token) throws IOException, InterruptedException { return clinic.findPatients(token); }
    public void reloadFromDisk() { clinic.reloadFromDisk(); }
    public Simulator simulator() { return clinic.simulator(); }

    @Override
    public void close() {
        clinic.close();
    }
}
