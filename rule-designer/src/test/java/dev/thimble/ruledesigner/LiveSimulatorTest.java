package dev.thimble.ruledesigner;

import com.fasterxml.jackson.databind.node.BooleanNode;
import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.rules.Decision;
import dev.thimble.runtime.rules.Decision.Action;
import dev.thimble.runtime.principal.Principal;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulator, what-if and log cases on the clinic app served by a real host on the embedded
 * database, seeded with patients and staff who logged in and called the API over HTTP.
 */
class LiveSimulatorTest {
    @TempDir
    static Path temp;
    static ClinicHost clinic;
    static String nurseId;
    static String doctorId;
    static LiveData live;

    @BeforeAll
    static void start() throws Exception {
        clinic = ClinicHost.start(temp, false);
        doctorId = clinic.staff("grey@clinic.example", "doctor", null);
        nurseId = clinic.staff("joy@clinic.example", "nurse", "cardiology");
        clinic.seedPatients(doctorId);
        live = new HostLiveData(clinic.host);
        clinic.findPatients(clinic.login("joy@clinic.example"));
        clinic.findPatients(clinic.login("grey@clinic.example"));
    }

    @AfterAll
    static void stop() {
        clinic.close();
    }

    private static Principal nurse() {
        return live.user(nurseId).orElseThrow().ruleUser();
    }

    private static RuleDesign patientsRule() {
        return RuleDesign.of(clinic.host.app().service("mongodb-atlas").orElseThrow().collectionRules().stream()
                .filter(r -> r.namespace().equals("clinic.patients")).findFirst().orElseThrow());
    }

    @Test
    void aNurseReadingALivePatientGetsTheNurseRoleAndOnlyTheNurseFields() {
        Document patient = live.findOne("clinic.patients", new Document("_id", ClinicHost.CARDIO_2)).orElseThrow();
        Simulation s = clinic.simulator().run(SimulationCase.read(nurse(), "clinic.patients", patient));
        assertThat(s.decision().role()).isEqualTo("nurse");
        assertThat(s.decision().rolesTried()).extracting(Decision.RoleTrial::role, Decision.RoleTrial::matched)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("doctor", false), org.assertj.core.groups.Tuple.tuple("nurse", true));
        assertThat(s.decision().rolesTried().get(0).failure().describe()).contains("%%user.custom_data.role");
        assertThat(s.received().keySet()).containsExactly("_id", "name", "ward", "allergies");
        assertThat(s.decision().filters()).extracting(Decision.FilterDecision::filter, Decision.FilterDecision::applied)
                .contains(org.assertj.core.groups.Tuple.tuple("a nurse's ward", true));
    }

    @Test
    /** test_results is append-only for nurses: writable (the probe appends an entry) but not readable (write is false when unchanged). */
    void fieldVerdictsSayWhatTheNurseSeesAndMayChange() {
        Document patient = live.findOne("clinic.patients", new Document("_id", ClinicHost.CARDIO_1)).orElseThrow();
        Simulation s = clinic.simulator().run(SimulationCase.read(nurse(), "clinic.patients", patient));
        assertThat(s.fields()).contains(new FieldVerdict("diagnosis", false, false), new FieldVerdict("name", true, false),
                new FieldVerdict("test_results", false, true));
    }

    @Test
    void aNurseCannotAdmitAPatientAndTheInsertSaysWhy() {
        Document patient = ClinicHost.patient(new org.bson.types.ObjectId(), "Dee", "cardiology", "dr-x", "flu");
        Simulation s = clinic.simulator().run(new SimulationCase(nurse(), null, "clinic.patients", Action.INSERT, patient, null, null));
        assertThat(s.decision().allowed()).isFalse();
        assertThat(s.decision().role()).isEqualTo("nurse");
        assertThat(s.fields()).extracting(FieldVerdict::path).contains("name", "diagnosis");
        assertThat(s.fields()).filteredOn(f -> f.path().equals("diagnosis")).extracting(FieldVerdict::writable).containsExactly(false);
    }

    @Test
    void aNurseOfAnotherWardFindsNoRole() {
        Document patient = live.findOne("clinic.patients", new Document("_id", ClinicHost.EMERGENCY)).orElseThrow();
        Simulation s = clinic.simulator().run(SimulationCase.read(nurse(), "clinic.patients", patient));
        assertThat(s.received()).isNull();
        assertThat(s.decision().reason()).isEqualTo(Decision.Reason.NO_ROLE);
    }

    @Test
    void aCraftedUserWithCustomDataIsSimulatedToo() {
        Principal admin = Principal.normal("crafted").withCustomData(new Document("role", "admin"));
        Document patient = live.findOne("clinic.patients", new Document("_id", ClinicHost.EMERGENCY)).orElseThrow();
        Simulation s = clinic.simulator().run(SimulationCase.read(admin, "clinic.patients", patient));
        assertThat(s.decision().role()).isEqualTo("administrator");
        assertThat(s.received().keySet()).containsExactly("_id", "ward", "doctor_id", "waiting_since");
    }

    @Test
    void whatIfCountsTheFieldsANurseWouldGainOnTheSampledDocuments() {
        RuleDesign edit = patientsRule();
        edit.setField(1, "diagnosis", BooleanNode.TRUE, null);
        WhatIf.Report report = WhatIf.compareLive(clinic.simulator(), edit, "mongodb-atlas", live, 100, 100);
        assertThat(report.documents()).isEqualTo(3);
        WhatIf.UserChange nurse = report.users().stream().filter(u -> u.userId().equals(nurseId)).findFirst().orElseThrow();
        assertThat(nurse.changed()).extracting(WhatIf.DocumentChange::id).containsExactlyInAnyOrder(ClinicHost.CARDIO_1, ClinicHost.CARDIO_2);
        assertThat(nurse.changed()).allSatisfy(c -> {
            assertThat(c.fieldsGained()).containsExactly("diagnosis");
            assertThat(c.fieldsLost()).isEmpty();
        });
        WhatIf.UserChange doctor = report.users().stream().filter(u -> u.userId().equals(doctorId)).findFirst().orElseThrow();
        assertThat(doctor.isEmpty()).isTrue();
        assertThat(report.fieldsGained()).isEqualTo(2);
        assertThat(report.documentsGained()).isZero();
    }

    @Test
    void whatIfComparesWritesTooWhoGainsWriteOnWhichFieldAndDelete() {
        RuleDesign edit = patientsRule();
        edit.setField(1, "name", BooleanNode.TRUE, BooleanNode.TRUE); // nurses may now change a patient's name
        edit.setPermission(0, Permission.DELETE, BooleanNode.TRUE); // doctors may now delete their patients
        WhatIf.Report report = WhatIf.compareLive(clinic.simulator(), edit, "mongodb-atlas", live, 100, 100);

        assertThat(report.writeDocuments()).isEqualTo(3);
        WhatIf.UserChange nurse = report.users().stream().filter(u -> u.userId().equals(nurseId)).findFirst().orElseThrow();
        assertThat(nurse.writes()).extracting(WhatIf.WriteChange::id).containsExactlyInAnyOrder(ClinicHost.CARDIO_1, ClinicHost.CARDIO_2);
        assertThat(nurse.writes()).allSatisfy(w -> {
            assertThat(w.fieldsGained()).containsExactly("name");
            assertThat(w.fieldsLost()).isEmpty();
            assertThat(w.delete()).as("a nurse still cannot write every field, so cannot delete").isNull();
        });
        WhatIf.UserChange doctor = report.users().stream().filter(u -> u.userId().equals(doctorId)).findFirst().orElseThrow();
        assertThat(doctor.writes()).isNotEmpty().allSatisfy(w -> {
            assertThat(w.delete()).isTrue();
            assertThat(w.fieldsGained()).isEmpty();
            assertThat(w.insert()).isNull();
        });
        assertThat(doctor.gained()).as("reads did not change").isEmpty();
        assertThat(WhatIf.headlines(report)).extracting(WhatIf.Headline::describe)
                .contains("1 user gains write on `name` on 2 documents",
                        "1 user gains delete on " + doctor.writes().size() + (doctor.writes().size() == 1 ? " document" : " documents"));
    }

    @Test
    void whatIfCountsDocumentsLostWhenARoleIsDeleted() {
        RuleDesign edit = patientsRule();
        edit.deleteRole(1);
        WhatIf.Report report = WhatIf.compareLive(clinic.simulator(), edit, "mongodb-atlas", live, 100, 100);
        WhatIf.UserChange nurse = report.users().stream().filter(u -> u.userId().equals(nurseId)).findFirst().orElseThrow();
        assertThat(nurse.lost()).hasSize(2);
        assertThat(report.documentsLost()).isEqualTo(2);
        assertThat(report.summary()).contains(nurseId + ": +0 documents, -2 documents");
    }

    @Test
    void aLoggedRequestOpensAsASimulatorCaseWithTheSameDecision() {
        clinic.host.logs().flush(Duration.ofSeconds(5));
        LogRecord findByNurse = live.recentLogs(100).stream()
                .filter(r -> nurseId.equals(r.userId()) && "find".equals(r.serviceAction())).findFirst().orElseThrow();
        SimulationCase c = LogCases.caseFor(findByNurse, live, k -> clinic.simulator().run(k).decision().allowed());
        assertThat(c.user().id()).isEqualTo(nurseId);
        assertThat(c.user().customData().getString("role").getValue()).isEqualTo("nurse");
        assertThat(c.namespace()).isEqualTo("clinic.patients");
        assertThat(c.action()).isEqualTo(Action.READ);
        Simulation s = clinic.simulator().run(c);
        // a document of her ward, read through the nurse role as the logged find was (not another ward's, denied)
        assertThat(s.decision().allowed()).isTrue();
        assertThat(s.decision().role()).isEqualTo("nurse");
        assertThat(findByNurse.decision().toJson()).contains("nurse");
    }

    @Test
    void aLoggedFindThatCouldReadNothingOpensAsTheQueryNotAsSomeoneElsesDocument() {
        LogRecord find = LogRecord.start(dev.thimble.runtime.logs.LogType.SERVICE_FUNCTION, java.time.Clock.systemUTC())
                .userId("a-stranger")
                .service("mongodb-atlas", "find")
                .namespace("clinic.patients")
                .arguments(new org.bson.BsonArray(List.of(org.bson.BsonDocument.parse(
                        "{\"database\": \"clinic\", \"collection\": \"patients\", \"query\": {}}"))), false)
                .finish(dev.thimble.runtime.logs.LogStatus.SUCCESS);

        SimulationCase c = LogCases.caseFor(find, live, k -> clinic.simulator().run(k).decision().allowed());

        assertThat(c.action()).isEqualTo(Action.QUERY);
        assertThat(c.document()).isNull();
        assertThat(c.user().id()).isEqualTo("a-stranger");
    }

    @Test
    void indexesAndSamplesFeedTheLiveLints() {
        RuleDesign d = patientsRule();
        List<Lint> lints = RuleLinter.lint(d, live.indexKeys("clinic.patients"), live.sample("clinic.patients", 50));
        assertThat(lints).extracting(Lint::kind).containsOnly(Lint.Kind.FILTER_WITHOUT_INDEX);
        clinic.host.database().database("clinic").getCollection("patients").createIndex(new Document("ward", 1));
        clinic.host.database().database("clinic").getCollection("patients").createIndex(new Document("doctor_id", 1));
        assertThat(RuleLinter.lint(d, live.indexKeys("clinic.patients"), live.sample("clinic.patients", 50))).isEmpty();
    }
}
