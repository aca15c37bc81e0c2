package dev.thimble.ruledesigner.ui;

import dev.thimble.ruledesigner.Expression;
import dev.thimble.ruledesigner.ExpressionForm;
import dev.thimble.ruledesigner.ExpressionForm.Clause;
import dev.thimble.ruledesigner.ExpressionForm.Join;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.List;

/**
 * The state of one expression builder: the clause rows and how they join, or raw JSON for what the
 * rows cannot hold. {@link #load} shows an expression; {@link #build} turns the rows back into one.
 */
public final class ExpressionBuilderModel {
    /** One editable clause row. */
    public static final class ClauseRow {
        public final StringProperty lhs = new SimpleStringProperty("");
        public final StringProperty op = new SimpleStringProperty("");
        public final StringProperty value = new SimpleStringProperty("");

        public ClauseRow(String lhs, String op, String value) {
            this.lhs.set(lhs);
            this.op.set(op);
            this.value.set(value);
        }
    }

    private final String where;
    private final ObservableList<ClauseRow> clauses = FXCollections.observableArrayList();
    private final ObjectProperty<Join> join = new SimpleObjectProperty<>(Join.ALL);
    private final BooleanProperty rawMode = new SimpleBooleanProperty(false);
    private final StringProperty raw = new SimpleStringProperty("");
    private final ObjectProperty<Expression> shown = new SimpleObjectProperty<>(new Expression.Always());

    public ExpressionBuilderModel(String where) {
        this.where = where;
    }

    public void load(Expression expression) {
        ExpressionForm form = ExpressionForm.of(expression);
        clauses.setAll(form.clauses().stream().map(c -> new ClauseRow(c.lhs(), c.op(), c.value())).toList());
        join.set(form.join());
        rawMode.set(form.isRaw());
        raw.set(form.isRaw() ? form.raw() : dev.thimble.ruledesigner.JsonValues.pretty(expression.toJson()));
        shown.set(expression);
    }

    /** The expression of the rows (or the raw JSON). @throws dev.thimble.ruledesigner.DesignException saying which part is wrong */
    public Expression build() {
        List<Clause> list = new ArrayList<>();
        clauses.forEach(r -> list.add(new Clause(r.lhs.get(), r.op.get(), r.value.get())));
        return new ExpressionForm(join.get(), list, rawMode.get() ? raw.get() : null).toExpression(where);
    }

    public ClauseRow addClause(String lhs, String op, String value) {
        ClauseRow row = new ClauseRow(lhs, op, value);
        clauses.add(row);
        return row;
    }

    public ObservableList<ClauseRow> clauses() { return clauses; }
    public ObjectProperty<Join> joinProperty() { return join; }
    public BooleanProperty rawModeProperty() { return rawMode; }
    public StringProperty rawProperty() { return raw; }
    /** The expression last loaded or applied, for the tree view. */
    public ObjectProperty<Expression> shownProperty() { return shown; }
}
