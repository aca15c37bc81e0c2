package dev.thimble.workbench.concurrent;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;

class UiBatcherTest {
    @Test
    void itemsArrivingBeforeTheUiRunsAreHandedOverInOneBatchInOrder() {
        ConcurrentLinkedQueue<Runnable> uiQueue = new ConcurrentLinkedQueue<>();
        List<List<Integer>> batches = new ArrayList<>();
        UiBatcher<Integer> batcher = new UiBatcher<>(uiQueue::add, batches::add);

        for (int i = 0; i < 1000; i++) {
            batcher.add(List.of(i));
        }
        assertThat(uiQueue).hasSize(1);
        uiQueue.poll().run();

        assertThat(batches).hasSize(1);
        assertThat(batches.getFirst()).hasSize(1000).startsWith(0, 1, 2).endsWith(999);

        batcher.add(List.of(1000, 1001));
        assertThat(uiQueue).hasSize(1);
        uiQueue.poll().run();
        assertThat(batches.get(1)).containsExactly(1000, 1001);
    }
}
