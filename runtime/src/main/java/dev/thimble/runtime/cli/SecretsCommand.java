package dev.thimble.runtime.cli;

import dev.thimble.runtime.app.AppModel;
import dev.thimble.runtime.values.SecretStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

@Command(name = "secrets", mixinStandardHelpOptions = true,
        description = "Manages an app's local secret values (kept outside the bundle, readable only by you).",
        subcommands = {SecretsCommand.SetSecret.class, SecretsCommand.ListSecrets.class, SecretsCommand.DeleteSecret.class})
final class SecretsCommand {

    static SecretStore storeOf(Path appDir) {
        AppModel app = Bundles.read(appDir).app();
        if (app == null) {
            throw new UserError(appDir + " is not a readable app bundle; run thimble validate " + appDir + " to see why.");
        }
        return SecretStore.forApp(app.clientAppId());
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Sets a secret's value. Without VALUE it is read from standard input, so it stays out of your shell history.")
    static final class SetSecret implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "APP_DIR") Path appDir;
        @Parameters(index = "1", paramLabel = "NAME") String name;
        @Parameters(index = "2", arity = "0..1", paramLabel = "VALUE") String value;

        @Override
        public Integer call() throws IOException {
            SecretStore store = storeOf(appDir);
            String secret = value != null ? value : readStandardInput();
            if (secret.isEmpty()) {
                throw new UserError("No value given for secret " + name + " (pass it as an argument or on standard input).");
            }
            store.set(name, secret);
            spec.commandLine().getOut().println("Secret " + name + " set (" + store.file() + ").");
            return Thimble.OK;
        }

        private static String readStandardInput() throws IOException {
            BufferedReader reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String text = reader.lines().collect(Collectors.joining("\n"));
            return text.strip();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists the app's secret names: those with a local value, and those the bundle names without one. Never prints values.")
    static final class ListSecrets implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "APP_DIR") Path appDir;

        @Override
        public Integer call() {
            AppModel app = Bundles.read(appDir).app();
            SecretStore store = storeOf(appDir);
            Set<String> stored = store.names();
            Set<String> all = new TreeSet<>(stored);
            all.addAll(app.secretNames());
            for (String name : all) {
                spec.commandLine().getOut().println(name + (stored.contains(name) ? "" : "  (no value: thimble secrets set " + appDir + " " + name + ")"));
            }
            return Thimble.OK;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes a secret's local value.")
    static final class DeleteSecret implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "APP_DIR") Path appDir;
        @Parameters(index = "1", paramLabel = "NAME") String name;

        @Override
        public Integer call() {
            if (!storeOf(appDir).delete(name)) {
                throw new UserError("There is no secret named " + name + " for this app.");
            }
            spec.commandLine().getOut().println("Secret " + name + " deleted.");
            return Thimble.OK;
        }
    }

    private SecretsCommand() {
    }

}
