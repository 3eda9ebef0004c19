package dev.streamtune.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A Dockerfile read into stages and instructions: enough to know its stage names, the images it starts from or
 * copies from, and each stage's ENV, ARG, COPY, USER and ENTRYPOINT.
 */
public final class Dockerfile {

    /** One instruction, keyword upper-cased, arguments as written (continuation lines joined). */
    public record Instruction(String keyword, String arguments, int line) {
    }

    /** A stage: the image it starts FROM, its name (AS ...), if any, and its instructions. */
    public record Stage(String name, String from, int line, List<Instruction> instructions) {

        public List<Instruction> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
        }

        /** ENV values set in this stage (later ones win). */
        public Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            for (Instruction instruction : all("ENV")) {
                env.putAll(keyValues(instruction.arguments()));
            }
            return env;
        }

        /** ARG defaults declared in this stage. */
        public Map<String, String> args() {
            Map<String, String> args = new LinkedHashMap<>();
            for (Instruction instruction : all("ARG")) {
                args.putAll(keyValues(instruction.arguments()));
            }
            return args;
        }

        public Optional<String> user() {
            List<Instruction> users = all("USER");
            return users.isEmpty() ? Optional.empty() : Optional.of(users.get(users.size() - 1).arguments().trim());
        }
    }

    /** A COPY --from reference. */
    public record CopyFrom(String stage, String from, List<String> sources, int line) {
    }

    private final List<Stage> stages;

    private Dockerfile(List<Stage> stages) {
        this.stages = stages;
    }

    public static Dockerfile parse(String text) {
        List<Stage> stages = new ArrayList<>();
        List<Instruction> current = null;
        String pending = null;
        int pendingLine = 0;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].stripTrailing();
            String trimmed = line.strip();
            if (trimmed.startsWith("#")) {
                continue; // comments (and parser directives), also between continuation lines
            }
            if (pending == null) {
                if (trimmed.isEmpty()) {
                    continue;
                }
                pending = "";
                pendingLine = i + 1;
            }
            boolean continues = line.endsWith("\\");
            String content = (continues ? line.substring(0, line.length() - 1) : line).strip();
            pending += (pending.isEmpty() ? "" : " ") + content;
            if (continues) {
                continue;
            }
            String[] parts = pending.split("\\s+", 2);
            Instruction instruction = new Instruction(parts[0].toUpperCase(Locale.ROOT),
                    parts.length > 1 ? parts[1] : "", pendingLine);
            pending = null;
            if (instruction.keyword().equals("FROM")) {
                String[] words = instruction.arguments().split("\\s+");
                List<String> imageWords = new ArrayList<>();
                String name = null;
                for (int w = 0; w < words.length; w++) {
                    if (words[w].startsWith("--")) {
                        continue; // --platform=...
                    }
                    if (words[w].equalsIgnoreCase("AS") && w + 1 < words.length) {
                        name = words[w + 1];
                        break;
                    }
                    imageWords.add(words[w]);
                }
                current = new ArrayList<>();
                stages.add(new Stage(name, imageWords.isEmpty() ? "" : imageWords.get(0), instruction.line(),
                        current));
            } else if (current != null) {
                current.add(instruction);
            }
        }
        return new Dockerfile(List.copyOf(stages));
    }

    public List<Stage> stages() {
        return stages;
    }

    public Optional<Stage> stage(String name) {
        return stages.stream().filter(s -> name.equals(s.name())).findFirst();
    }

    public boolean isStage(String reference) {
        if (reference.matches("\\d+")) {
            return Integer.parseInt(reference) < stages.size();
        }
        return stages.stream().anyMatch(s -> reference.equals(s.name()));
    }

    /** Every COPY --from=... of every stage. */
    public List<CopyFrom> copiesFrom() {
        List<CopyFrom> copies = new ArrayList<>();
        for (Stage stage : stages) {
            for (Instruction copy : stage.all("COPY")) {
                String from = null;
                List<String> operands = new ArrayList<>();
                for (String word : copy.arguments().split("\\s+")) {
                    if (word.startsWith("--from=")) {
                        from = word.substring("--from=".length());
                    } else if (!word.startsWith("--")) {
                        operands.add(word);
                    }
                }
                if (from != null) {
                    copies.add(new CopyFrom(stage.name(), from, operands.subList(0, Math.max(0, operands.size() - 1)),
                            copy.line()));
                }
            }
        }
        return copies;
    }

    /** Sources of the COPY instructions that copy from the build context (not --from). */
    public List<String> contextSources() {
        List<String> sources = new ArrayList<>();
        for (Stage stage : stages) {
            for (Instruction copy : stage.all("COPY")) {
                if (copy.arguments().contains("--from=")) {
                    continue;
                }
                List<String> operands = new ArrayList<>();
                for (String word : copy.arguments().split("\\s+")) {
                    if (!word.startsWith("--")) {
                        operands.add(word);
                    }
                }
                sources.addAll(operands.subList(0, Math.max(0, operands.size() - 1)));
            }
        }
        return sources;
    }

    /** KEY=value pairs as ENV and ARG write them (values may be double-quoted; ARG KEY alone has no value). */
    static Map<String, String> keyValues(String arguments) {
        Map<String, String> values = new LinkedHashMap<>();
        int i = 0;
        String s = arguments.strip();
        while (i < s.length()) {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            int keyStart = i;
            while (i < s.length() && s.charAt(i) != '=' && !Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            String key = s.substring(keyStart, i);
            if (key.isEmpty()) {
                break;
            }
            if (i >= s.length() || s.charAt(i) != '=') {
                values.put(key, null);
                continue;
            }
            i++; // '='
            StringBuilder value = new StringBuilder();
            if (i < s.length() && s.charAt(i) == '"') {
                i++;
                while (i < s.length() && s.charAt(i) != '"') {
                    value.append(s.charAt(i++));
                }
                i++;
            } else {
                while (i < s.length() && !Character.isWhitespace(s.charAt(i))) {
                    value.append(s.charAt(i++));
                }
            }
            values.put(key, value.toString());
        }
        return values;
    }
}
