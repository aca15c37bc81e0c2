package dev.thimble.runtime.triggers;

import dev.thimble.testing.Eventually;
import dev.thimble.runtime.AppHost;
import dev.thimble.runtime.app.AppBundles;

import java.nio.file.Path;
import java.time.Duration;

/** The child JVM of {@link TwoNodesTest}: a second node on another host's embedded server, killed by the test. */
public final class RemoteNodeHost {
    private RemoteNodeHost() {
    }

    public static void main(String[] args) throws Exception {
        AppHost host = TriggerBundle.serveRemote(AppBundles.read(Path.of(args[0])).app(), args[1], Path.of(args[2]),
                TriggerBundle.quick().withNodeId("child-node"));
        Eventually.await("the trigger's lease", Duration.ofSeconds(30), () -> host.triggers().runningHere().contains("copier"));
        System.out.println("HOLDING");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
