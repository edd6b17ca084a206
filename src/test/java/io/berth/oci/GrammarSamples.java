package io.berth.oci;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Strings for holding a hand-written grammar check to the regular expression it replaces. */
final class GrammarSamples {
    private GrammarSamples() {
    }

    /** Every string over {@code alphabet} of length 0 to {@code maxLength}. */
    static List<String> every(String alphabet, int maxLength) {
        List<String> all = new ArrayList<>();
        all.add("");
        int from = 0;
        for (int length = 1; length <= maxLength; length++) {
            int to = all.size();
            for (int i = from; i < to; i++) {
                for (char c : alphabet.toCharArray()) {
                    all.add(all.get(i) + c);
                }
            }
            from = to;
        }
        return all;
    }

    /** {@code count} strings over {@code alphabet} of length 0 to {@code maxLength}, the same every run. */
    static List<String> random(String alphabet, int count, int maxLength, long seed) {
        Random random = new Random(seed);
        List<String> strings = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder s = new StringBuilder();
            int length = random.nextInt(maxLength + 1);
            for (int j = 0; j < length; j++) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            strings.add(s.toString());
        }
        return strings;
    }
}
