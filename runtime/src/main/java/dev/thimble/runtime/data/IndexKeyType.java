package dev.thimble.runtime.data;

import de.bwaldvogel.mongo.backend.KeyValue;
import org.h2.mvstore.type.ObjectDataType;

/**
 * The key type of the library's unique-index maps ({@code _id} and unique indexes: {@link KeyValue} keys), the
 * library's own {@link ObjectDataType} with one change: a lookup serialises the key it looks for once, not at
 * every step of the binary search.
 *
 * <p>A {@link KeyValue} is not {@link Comparable}, so {@link ObjectDataType} orders two of them by comparing
 * their Java serialisations, serialising both sides at every comparison: about 20 steps at a million documents,
 * each two serialisations, for every insert, update, delete and {@code _id} lookup (issue 18: ~16 % of the CPU of
 * a bulk insert at 50,000 documents). The stored keys' serialisations are remembered per instance too
 * ({@link StoredObjectType}, decision 0053). The order, the stored bytes and so the data file are exactly the library's:
 * this type writes and reads through the same methods and compares the same bytes.
 */
final class IndexKeyType extends StoredObjectType {

    @Override
    public int binarySearch(Object key, Object storage, int size, int initialGuess) {
        if (key == null || key.getClass() != KeyValue.class) {
            return super.binarySearch(key, storage, size, initialGuess);
        }
        Object[] keys = (Object[]) storage;
        byte[] wanted = serialised(key);
        int low = 0;
        int high = size - 1;
        int x = initialGuess - 1;
        if (x < 0 || x > high) {
            x = high >>> 1;
        }
        while (low <= high) {
            Object stored = keys[x];
            int compare = stored != null && stored.getClass() == KeyValue.class
                    ? compareNotNull(wanted, serialised(stored)) // what ObjectDataType.compare does for two KeyValues
                    : compare(key, stored);
            if (compare > 0) {
                low = x + 1;
            } else if (compare < 0) {
                high = x - 1;
            } else {
                return x;
            }
            x = (low + high) >>> 1;
        }
        return ~low;
    }
}
