package dev.thimble.runtime.cli;

import dev.thimble.runtime.admin.AdminIdentities;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.Console;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "admin", mixinStandardHelpOptions = true,
        description = {"Manages the admins of a server home: who may use its admin API (/api/admin/v3.0).",
                "Admins live in HOME/.thimble/admin, never in an app; changes count at once, also while the server runs."},
        subcommands = {AdminCommand.Users.class, AdminCommand.Keys.class})
final class AdminCommand {
    private AdminCommand() {
    }

    static AdminIdentities identities(Path home) {
        if (!Files.isDirectory(home)) {
            throw new UserError("The server home " + home.toAbsolutePath() + " is not a folder.");
        }
        return AdminIdentities.ofHome(home.toAbsolutePath().normalize());
    }

    @Command(name = "users", mixinStandardHelpOptions = true, description = "Email/password admins.",
            subcommands = {CreateUser.class, ListUsers.class, DeleteAdmin.class})
    static final class Users {
    }

    @Command(name = "keys", mixinStandardHelpOptions = true,
            description = {"Admin API keys (the api-key login) and public/private key pairs (--cloud: the mongodb-cloud login",
                    "that realm-cli, appservices and the npm admin client use)."},
            subcommands = {CreateKey.class, ListKeys.class, DeleteAdmin.class})
    static final class Keys {
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates an email/password admin.")
    static final class CreateUser implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--home", required = true, paramLabel = "DIR", description = "The server home.") Path home;
        @Parameters(index = "0", paramLabel = "EMAIL") String email;
        @Option(names = "--password-env", paramLabel = "VAR",
                description = "Read the password from this environment variable instead of asking for it.") String passwordEnv;

        @Override
        public Integer call() {
            String password = password();
            try {
                AdminIdentities.Admin admin = identities(home).createUser(email, password);
                spec.commandLine().getOut().println("Created admin " + admin.name() + " (id " + admin.id() + ").");
                return Thimble.OK;
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
        }

        private String password() {
            if (passwordEnv != null) {
                String value = System.getenv(passwordEnv);
                if (value == null) {
                    throw new UserError("The environment variable " + passwordEnv + " is not set.");
                }
                return value;
            }
            Console console = System.console();
            if (console == null) {
                throw new UserError("No terminal to ask for the password: pass --password-env VAR with the password in VAR.");
            }
            char[] first = console.readPassword("Password for %s: ", email);
            char[] again = console.readPassword("Again: ");
            if (first == null || again == null || !new String(first).equals(new String(again))) {
                throw new UserError("The passwords differ; no admin was created.");
            }
            return new String(first);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the email/password admins.")
    static final class ListUsers implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--home", required = true, paramLabel = "DIR", description = "The server home.") Path home;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            var users = identities(home).users();
            if (users.isEmpty()) {
                out.println("(no email/password admins)");
            }
            users.forEach(u -> out.println(u.id() + "  " + u.name() + "  created " + u.created()));
            return Thimble.OK;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes an admin or key by id (or an admin by email, a key pair by public key).")
    static final class DeleteAdmin implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--home", required = true, paramLabel = "DIR", description = "The server home.") Path home;
        @Parameters(index = "0", paramLabel = "ID") String id;

        @Override
        public Integer call() {
            if (!identities(home).delete(id)) {
                throw new UserError("There is no admin or key " + id + " in " + home + ".");
            }
            spec.commandLine().getOut().println("Deleted " + id + "; its tokens stop working at once.");
            return Thimble.OK;
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates an admin API key (or with --cloud a key pair) and prints its secret once.")
    static final class CreateKey implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--home", required = true, paramLabel = "DIR", description = "The server home.") Path home;
        @Option(names = "--name", required = true, description = "A name for the key, e.g. the tool that will use it.") String name;
        @Option(names = "--cloud", description = "A public/private key pair for the mongodb-cloud login.") boolean cloud;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try {
                AdminIdentities ids = identities(home);
                if (cloud) {
                    AdminIdentities.CreatedKey key = ids.createCloudKey(name);
                    out.println("Created key pair \"" + name + "\" (id " + key.key().id() + "):");
                    out.println("public key:  " + key.publicKey());
                    out.println("private key: " + key.secret());
                } else {
                    AdminIdentities.CreatedKey key = ids.createApiKey(name);
                    out.println("Created admin API key \"" + name + "\" (id " + key.key().id() + "):");
                    out.println(key.secret());
                }
                out.println("This is the only time the secret is shown; it is stored hashed.");
                return Thimble.OK;
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists admin API keys and key pairs (never their secrets).")
    static final class ListKeys implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Option(names = "--home", required = true, paramLabel = "DIR", description = "The server home.") Path home;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            AdminIdentities ids = identities(home);
            var keys = ids.apiKeys();
            if (keys.isEmpty()) {
                out.println("(no admin keys)");
            }
            keys.forEach(k -> out.println(k.id() + "  " + k.name() + "  " + k.kind()
                    + ids.publicKeyOf(k.id()).map(p -> "  public key " + p).orElse("") + "  created " + k.created()));
            return Thimble.OK;
        }
    }
}
