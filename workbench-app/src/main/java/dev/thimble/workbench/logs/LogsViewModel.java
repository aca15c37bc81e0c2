package dev.thimble.workbench.logs;

import dev.thimble.runtime.logs.LogRecord;
import dev.thimble.runtime.logs.LogStatus;
import dev.thimble.runtime.logs.LogSubscription;
import dev.thimble.runtime.logs.LogType;
import dev.thimble.workbench.concurrent.UiBatcher;
import dev.thimble.workbench.concurrent.UiTasks;
import dev.thimble.runtime.apps.AppSession;
import dev.thimble.runtime.apps.LogExport;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The logs panel's state: every record of the running server's live feed (up to {@link #MAX_RECORDS},
 * the oldest dropped first), the filters and the records they let through, the selected record's
 * detail, the request rate and latency per second, and export of what the filters show. The feed
 * arrives on its own thread and is handed to the UI thread in batches ({@link UiBatcher}).
 */
public final class LogsViewModel {
    /**
     * The most records the panel holds. A request record of the example app costs ~3.4 KB of heap as the panel
     * holds it (measured by {@code bench/.../LogRecordFootprint}), so this bounds the panel at ~35 MB; the
     * 200,000 held before would have needed ~670 MB, more than the workbench's whole heap. Older records stay
     * in the app's log store ("load older", the Logs view of a restarted app). Decision 0044.
     */
    public static final int MAX_RECORDS = 10_000;
    /** How far back the panel reads stored records when it opens on an app (a restart does not empty it). */
    public static final Duration HISTORY = Duration.ofHours(3);
    /** Stored records one "load older" reads (the database's most per query). */
    public static final int OLDER_PAGE = dev.thimble.runtime.logs.LogQuery.MAX_LIMIT;

    /** The time-range filter: everything, or what started within the last few minutes. */
    public enum TimeRange {
        ANY("Any time", null),
        LAST_MINUTE("Last minute", Duration.ofMinutes(1)),
        LAST_5_MINUTES("Last 5 minutes", Duration.ofMinutes(5)),
        LAST_15_MINUTES("Last 15 minutes", Duration.ofMinutes(15)),
        LAST_HOUR("Last hour", Duration.ofHours(1));

        private final String label;
        private final Duration span;

        TimeRange(String label, Duration span) {
            this.label = label;
            this.span = span;
        }

        public String label() {
            return label;
        }
    }

    private final UiTasks tasks;
    private final InstantSource clock;
    private final ObservableList<LogRecord> all = FXCollections.observableArrayList();
    private final FilteredList<LogRecord> shown = new FilteredList<>(all);
    private final LogRates rates = new LogRates();
    private final UiBatcher<LogRecord> feed;

    private final ObjectProperty<LogType> type = new SimpleObjectProperty<>(this, "type");
    private final ObjectProperty<LogStatus> status = new SimpleObjectProperty<>(this, "status");
    private final StringProperty function = new SimpleStringProperty(this, "function", "");
    private final StringProperty user = new SimpleStringProperty(this, "user", "");
    private final StringProperty text = new SimpleStringProperty(this, "text", "");
    private final ObjectProperty<TimeRange> range = new SimpleObjectProperty<>(this, "range", TimeRange.ANY);
    private final BooleanProperty follow = new SimpleBooleanProperty(this, "follow", true);
    private final ObjectProperty<LogRecord> selected = new SimpleObjectProperty<>(this, "selected");
    private final ReadOnlyStringWrapper detail = new ReadOnlyStringWrapper(this, "detail", "");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "No records yet");
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper(this, "notice", "");
    private final ReadOnlyStringWrapper emptyMessage = new ReadOnlyStringWrapper(this, "emptyMessage", NO_RECORDS);
    private final ObservableList<DecisionTree.Node> decision = FXCollections.observableArrayList();
    /** The ids of the records held: the live feed replays what the stored history also has. */
    private final java.util.Set<org.bson.types.ObjectId> ids = new java.util.HashSet<>();
    /** Which app the records are of: another app's session starts an empty panel. */
    private String appKey;
    private final ReadOnlyDoubleWrapper perSecond = new ReadOnlyDoubleWrapper(this, "perSecond");
    private final ReadOnlyObjectWrapper<LogRates.Series> series;

    static final String NO_RECORDS = "No log records: requests to the server appear here as they happen.";

    private LogSubscription subscription;
    private AppSession session;
    /** Counts connects and disconnects, so a subscription that arrives after a disconnect is closed at once. */
    private long generation;

    public LogsViewModel(UiTasks tasks, InstantSource clock) {
        this.tasks = tasks;
        this.clock = clock;
        this.feed = new UiBatcher<>(tasks.ui(), this::append);
        this.series = new ReadOnlyObjectWrapper<>(this, "series", rates.series(clock.instant()));
        type.addListener((obs, old, now) -> refilter());
        status.addListener((obs, old, now) -> refilter());
        function.addListener((obs, old, now) -> refilter());
        user.addListener((obs, old, now) -> refilter());
        text.addListener((obs, old, now) -> refilter());
        range.addListener((obs, old, now) -> refilter());
        selected.addListener((obs, old, now) -> {
            detail.set(now == null ? "" : LogDetail.describe(now));
            decision.setAll(now == null ? List.of() : DecisionTree.of(now.decision()));
        });
        shown.addListener((javafx.collections.ListChangeListener<LogRecord>) change -> updateSummary());
    }

    /** Follows the running server's feed (replaying what it still holds); call when the server is running. */
    public void connect(AppSession session) {
        disconnect();
        this.session = session;
        long mine = ++generation;
        String key = keyOf(session);
        if (appKey != null && !appKey.equals(key)) {
            clear(); // another app: its own records, not the last app's
        }
        appKey = key;
        if (all.isEmpty()) {
            loadHistory(session, mine);
        }
        tasks.run(() -> session.subscribeLogs(feed::add), found -> {
            if (found.isEmpty()) {
                return;
            }
            if (mine != generation) {
                found.get().close();
            } else {
                subscription = found.get();
            }
        }, failure -> notice.set("The live log feed is not available: " + UiTasks.describe(failure)));
    }

    private static String keyOf(AppSession session) {
        try {
            return session.model().clientAppId() + "@" + session.workspace().directory();
        } catch (RuntimeException e) {
            return String.valueOf(System.identityHashCode(session));
        }
    }

    /** The stored records of the last {@link #HISTORY}, so a restarted workbench or server shows what happened before. */
    private void loadHistory(AppSession target, long mine) {
        Instant now = clock.instant();
        Instant since = now.minus(HISTORY);
        tasks.run(() -> target.olderLogs(now, OLDER_PAGE), newestFirst -> {
            if (mine != generation) {
                return;
            }
            List<LogRecord> recent = newestFirst.stream().filter(r -> !r.started().isBefore(since)).toList();
            append(recent);
            if (!recent.isEmpty()) {
                notice.set("Loaded " + recent.size() + " stored records of the last " + HISTORY.toHours() + " hours.");
            }
        }, failure -> notice.set("Could not read the stored records: " + UiTasks.describe(failure)));
    }

    /** Stops following the feed (the server stopped); the records shown stay. */
    public void disconnect() {
        generation++;
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
    }

    /** Takes a batch of new records (on the UI thread), oldest first. */
    public void append(List<LogRecord> batch) {
        List<LogRecord> fresh = new java.util.ArrayList<>(batch.size());
        for (LogRecord r : batch) {
            if (ids.add(r.id())) {
                fresh.add(r);
                rates.add(r);
            }
        }
        insertInStartOrder(fresh);
        if (all.size() > MAX_RECORDS) {
            // drop a tenth more than needed, so a full panel trims once in a while, not on every batch
            int excess = all.size() - MAX_RECORDS + MAX_RECORDS / 10;
            if (selected.get() != null && all.indexOf(selected.get()) < excess) {
                selected.set(null);
            }
            // one copy and one change: ObservableList.remove(from, to) removes one element at a time (quadratic)
            all.subList(0, excess).forEach(r -> ids.remove(r.id()));
            all.setAll(new java.util.ArrayList<>(all.subList(excess, all.size())));
        }
        perSecond.set(rates.perSecond(clock.instant()));
    }

    /**
     * Puts records where their start time belongs: records arrive when they complete, so a long
     * request comes after shorter ones that started later. The common case (every new record started
     * after the last one held) is one append; a late one is inserted by binary search.
     */
    private void insertInStartOrder(List<LogRecord> fresh) {
        if (fresh.isEmpty()) {
            return;
        }
        List<LogRecord> sorted = new java.util.ArrayList<>(fresh);
        sorted.sort(START_ORDER);
        if (all.isEmpty() || !sorted.getFirst().started().isBefore(all.getLast().started())) {
            all.addAll(sorted);
            return;
        }
        int firstLate = 0;
        while (firstLate < sorted.size() && sorted.get(firstLate).started().isBefore(all.getLast().started())) {
            firstLate++;
        }
        if (firstLate > 64) {
            // a page of history: merge in one change rather than many inserts
            List<LogRecord> merged = new java.util.ArrayList<>(all.size() + sorted.size());
            merged.addAll(all);
            merged.addAll(sorted);
            merged.sort(START_ORDER);
            all.setAll(merged);
            return;
        }
        for (int i = 0; i < firstLate; i++) {
            LogRecord r = sorted.get(i);
            int at = java.util.Collections.binarySearch(all, r, START_ORDER);
            all.add(at < 0 ? -at - 1 : at + 1, r);
        }
        all.addAll(sorted.subList(firstLate, sorted.size()));
    }

    private static final java.util.Comparator<LogRecord> START_ORDER = java.util.Comparator.comparing(LogRecord::started);

    /**
     * Loads up to {@value #OLDER_PAGE} stored records older than the oldest shown (or than now) from the
     * database, e.g. what an earlier run logged, and puts them before the others.
     */
    public CompletableFuture<Integer> loadOlder() {
        AppSession target = session;
        if (target == null) {
            notice.set("Start the server to read the stored log records.");
            return CompletableFuture.completedFuture(0);
        }
        Instant before = all.isEmpty() ? clock.instant() : all.getFirst().started();
        int room = Math.min(OLDER_PAGE, MAX_RECORDS - all.size());
        if (room <= 0) {
            notice.set("The panel is full; clear it to load older records.");
            return CompletableFuture.completedFuture(0);
        }
        return tasks.run(() -> target.olderLogs(before, room), newestFirst -> {
            List<LogRecord> oldestFirst = new java.util.ArrayList<>(newestFirst);
            java.util.Collections.reverse(oldestFirst);
            oldestFirst.removeIf(r -> !ids.add(r.id()));
            all.addAll(0, oldestFirst);
            notice.set(oldestFirst.isEmpty() ? "No older records are stored." : "Loaded " + oldestFirst.size() + " older records.");
        }, failure -> notice.set("Could not read the stored records: " + UiTasks.describe(failure))).thenApply(List::size);
    }

    /** Moves the chart, the rate and a relative time range on (the window calls it every second). */
    public void tick() {
        Instant now = clock.instant();
        series.set(rates.series(now));
        perSecond.set(rates.perSecond(now));
        if (range.get() != TimeRange.ANY) {
            refilter();
        }
    }

    public void clear() {
        selected.set(null);
        all.clear();
        ids.clear();
        rates.clear();
        tick();
    }

    /** Writes the records the filters show to {@code target} as a JSON array; completes with how many. */
    public CompletableFuture<Integer> export(Path target) {
        List<LogRecord> snapshot = List.copyOf(shown);
        notice.set("Exporting " + snapshot.size() + " records ...");
        return tasks.run(() -> LogExport.write(snapshot, target),
                n -> notice.set("Exported " + n + " records to " + target),
                failure -> notice.set("Export failed: " + UiTasks.describe(failure)));
    }

    /** The filter the panel applies now. */
    public LogFilter filter() {
        Instant from = range.get().span == null ? null : clock.instant().minus(range.get().span);
        return new LogFilter(type.get(), status.get(), function.get(), user.get(), text.get(), from, null);
    }

    /** Filters by the selected record's function (or action) and user: "more like this". */
    public void showSimilar() {
        LogRecord r = selected.get();
        if (r != null) {
            function.set(r.functionName() != null ? r.functionName() : r.serviceAction() == null ? "" : r.serviceAction());
            user.set(r.userId() == null ? "" : r.userId());
        }
    }

    public void resetFilters() {
        type.set(null);
        status.set(null);
        function.set("");
        user.set("");
        text.set("");
        range.set(TimeRange.ANY);
    }

    private void refilter() {
        LogFilter filter = filter();
        shown.setPredicate(filter.equals(LogFilter.ANY) ? null : filter);
        if (selected.get() != null && !shown.contains(selected.get())) {
            selected.set(null);
        }
        updateSummary();
    }

    private void updateSummary() {
        if (all.isEmpty()) {
            emptyMessage.set(NO_RECORDS);
        } else if (shown.isEmpty()) {
            emptyMessage.set(String.format("The filters hide all %,d records (%s). Reset the filters to see them.", all.size(), describeFilters()));
        }
        if (all.isEmpty()) {
            summary.set("No records yet");
        } else if (shown.size() == all.size()) {
            summary.set(String.format("%,d records", all.size()));
        } else {
            summary.set(String.format("%,d of %,d records", shown.size(), all.size()));
        }
    }

    /** The filters in force, for the empty table's message: {@code type AUTH, status error}. */
    private String describeFilters() {
        List<String> parts = new java.util.ArrayList<>();
        if (type.get() != null) parts.add("type " + type.get());
        if (status.get() != null) parts.add("status " + status.get().wire());
        if (function.get() != null && !function.get().isBlank()) parts.add("function \"" + function.get().strip() + "\"");
        if (user.get() != null && !user.get().isBlank()) parts.add("user \"" + user.get().strip() + "\"");
        if (text.get() != null && !text.get().isBlank()) parts.add("text \"" + text.get().strip() + "\"");
        if (range.get() != TimeRange.ANY) parts.add(range.get().label().toLowerCase(java.util.Locale.ROOT));
        return parts.isEmpty() ? "none set" : String.join(", ", parts);
    }

    /** What the empty table says: no records yet, or that the filters hide every record (and which). */
    public ReadOnlyStringProperty emptyMessageProperty() {
        return emptyMessage.getReadOnlyProperty();
    }

    /** The selected record's rule decision as a tree (empty when it has none). */
    public ObservableList<DecisionTree.Node> decision() {
        return decision;
    }

    /** Every record held, in start order. */
    public ObservableList<LogRecord> records() {
        return FXCollections.unmodifiableObservableList(all);
    }

    /** The records the filters let through, in start order. */
    public ObservableList<LogRecord> shown() {
        return shown;
    }

    public ObjectProperty<LogType> typeProperty() {
        return type;
    }

    public ObjectProperty<LogStatus> statusProperty() {
        return status;
    }

    public StringProperty functionProperty() {
        return function;
    }

    public StringProperty userProperty() {
        return user;
    }

    public StringProperty textProperty() {
        return text;
    }

    public ObjectProperty<TimeRange> rangeProperty() {
        return range;
    }

    /** True while the table should keep the newest record in view. */
    public BooleanProperty followProperty() {
        return follow;
    }

    public ObjectProperty<LogRecord> selectedProperty() {
        return selected;
    }

    /** The selected record as text: request, user, arguments, console output, error, rule decision. */
    public ReadOnlyStringProperty detailProperty() {
        return detail.getReadOnlyProperty();
    }

    /** E.g. "12 of 100,000 records". */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    /** The latest export's outcome, or why the feed is not available. */
    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    /** Records completed per second over the last few seconds. */
    public ReadOnlyDoubleProperty perSecondProperty() {
        return perSecond.getReadOnlyProperty();
    }

    /** The chart's data: per second over the last five minutes. */
    public ReadOnlyObjectProperty<LogRates.Series> seriesProperty() {
        return series.getReadOnlyProperty();
    }
}
