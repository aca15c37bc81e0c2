package dev.thimble.runtime.server;

import dev.thimble.runtime.app.AppModel;

import java.util.function.Supplier;

/** The app a server answers for; the model may be swapped by a reload while the server runs. */
final class ServedApp {
    private final Supplier<AppModel> model;

    ServedApp(Supplier<AppModel> model) {
        this.model = model;
    }

    AppModel model() {
        return model.get();
    }
}
