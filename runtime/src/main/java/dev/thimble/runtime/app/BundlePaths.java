package dev.thimble.runtime.app;

/**
 * Which names can become file or folder names in a bundle. Names come from bundle content, which
 * may be untrusted (an imported zip): a name like {@code ../x} must never let the writer escape the
 * bundle directory.
 */
final class BundlePaths {
    private BundlePaths() {
    }

    /** Why {@code name} cannot be one path segment, or null when it can. */
    static String segmentProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "the name is empty";
        }
        if (name.equals(".") || name.equals("..")) {
            return "'" + name + "' cannot be used as a file name";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f) {
                return "the name '" + printable(name) + "' holds a character that cannot be used in a file name ("
                        + (c == '/' || c == '\\' ? "'" + c + "'" : "a control character") + ")";
            }
        }
        return null;
    }

    /** Why a function name (segments separated by {@code /}) cannot be a folder path, or null when it can. */
    static String functionNameProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "the name is empty";
        }
        for (String segment : name.split("/", -1)) {
            String problem = segmentProblem(segment);
            if (problem != null) {
                return "each '/'-separated part of the function name '" + printable(name) + "' must be a valid folder name: " + problem;
            }
        }
        return null;
    }

    /** Why {@code path} is not a safe bundle-relative file path, or null when it is. */
    static String relativePathProblem(String path) {
        if (path == null || path.isEmpty() || path.startsWith("/") || path.matches("^[A-Za-z]:.*")) {
            return "the path '" + printable(path) + "' is not relative";
        }
        for (String segment : path.split("/", -1)) {
            if (segmentProblem(segment) != null) {
                return "the path '" + printable(path) + "' has an invalid part '" + printable(segment) + "'";
            }
        }
        return null;
    }

    private static String printable(String s) {
        return s == null ? "" : s.replaceAll("\\p{Cntrl}", "?");
    }
}
