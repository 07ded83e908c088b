package io.prosima.node.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.prosima.node.NodeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a node's configuration from its four sources, each overriding the one before: the defaults,
 * the config file (TOML: {@code --config FILE}, else {@code HOME/node.toml} when it exists), the
 * environment ({@code PROSIMA_<KEY>}, see {@link ConfigKey#envName()}) and the command line. Every
 * value is checked as it is read; an unknown key or a bad value is refused with one line naming the
 * key and where it came from, and nothing starts.
 */
public final class NodeSettings {
  /** The config file a node reads from its home when no other is named. */
  public static final String CONFIG_FILE = "node.toml";

  /**
   * PROSIMA_ variables read by the launch scripts and tools, not by the node's config: they are
   * neither keys nor typos.
   */
  static final Set<String> TOOL_VARIABLES =
      Set.of("PROSIMA_JAVA_OPTS", "PROSIMA_NODE_JAVA_OPTS", "PROSIMA_CACHE");

  /**
   * The config in force and where each value that is not a default came from ("file node.toml",
   * "environment PROSIMA_P2P_LISTEN", "command line").
   */
  public record Loaded(NodeConfig config, Map<ConfigKey, String> sources, List<String> warnings) {}

  private NodeSettings() {}

  /**
   * @param home the node home
   * @param configFile the file named with --config (must exist), or null for HOME/node.toml if any
   * @param env the environment
   * @param commandLine key to value, from command-line options (highest precedence)
   */
  public static Loaded load(
      Path home, Path configFile, Map<String, String> env, Map<String, String> commandLine)
      throws ConfigException {
    Map<ConfigKey, Object> values = new EnumMap<>(ConfigKey.class);
    Map<ConfigKey, String> sources = new EnumMap<>(ConfigKey.class);
    List<String> warnings = new ArrayList<>();

    Path file = configFile;
    if (file == null && Files.isRegularFile(home.resolve(CONFIG_FILE))) {
      file = home.resolve(CONFIG_FILE);
    }
    if (file != null) {
      readFile(file, values, sources);
    }
    for (ConfigKey k : ConfigKey.values()) {
      String text = env.get(k.envName());
      if (text != null) {
        put(k, text, "environment " + k.envName(), values, sources);
      }
    }
    for (var e : env.keySet()) {
      if (e.startsWith(ConfigKey.ENV_PREFIX)
          && !TOOL_VARIABLES.contains(e)
          && java.util.Arrays.stream(ConfigKey.values()).noneMatch(k -> k.envName().equals(e))) {
        // Not refused: other tools may read PROSIMA_ variables; but a typo should not go unseen.
        warnings.add("environment variable " + e + " is not a node config key; ignored");
      }
    }
    for (var e : commandLine.entrySet()) {
      ConfigKey k = known(e.getKey(), "on the command line");
      put(k, e.getValue(), "command line", values, sources);
    }

    NodeConfig.Builder b = NodeConfig.builder(home);
    values.forEach((k, v) -> k.apply(b, v));
    NodeConfig config = b.build();
    return new Loaded(config, sources, warnings);
  }

  private static void readFile(
      Path file, Map<ConfigKey, Object> values, Map<ConfigKey, String> sources)
      throws ConfigException {
    String where = "file " + file;
    if (!Files.isRegularFile(file)) {
      throw new ConfigException("node config: " + file + " does not exist or is not a file");
    }
    JsonNode root;
    try {
      root = new TomlMapper().readTree(file.toFile());
    } catch (JacksonException e) {
      // Without the parser's line: it points past the offending line as often as at it.
      throw new ConfigException(
          "node config: " + file + " is not valid TOML: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ConfigException("node config: cannot read " + file + ": " + e.getMessage());
    }
    if (root == null) {
      return; // an empty file
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      var e = it.next();
      ConfigKey k = known(e.getKey(), "in " + file);
      JsonNode n = e.getValue();
      Object v;
      try {
        v = fromToml(k, n);
      } catch (IllegalArgumentException bad) {
        throw new ConfigException(
            "node config: "
                + k.key()
                + " in "
                + file
                + " "
                + bad.getMessage()
                + ", got "
                + shown(n));
      }
      values.put(k, v);
      sources.put(k, where);
    }
  }

  /** A TOML value of the key's kind: a string address, a boolean or an integer. */
  private static Object fromToml(ConfigKey k, JsonNode n) {
    switch (k.kind()) {
      case ADDRESS:
        if (n.isTextual()) {
          return k.parse(n.textValue());
        }
        break;
      case BOOLEAN:
        if (n.isBoolean()) {
          return n.booleanValue();
        }
        break;
      case INTEGER:
        if (n.isIntegralNumber() && n.canConvertToLong()) {
          return k.integer(n.longValue());
        }
        break;
    }
    throw new IllegalArgumentException("must be " + k.expected());
  }

  private static String shown(JsonNode n) {
    String s = n.isTextual() ? "'" + n.textValue() + "'" : n.toString();
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }

  private static void put(
      ConfigKey k,
      String text,
      String where,
      Map<ConfigKey, Object> values,
      Map<ConfigKey, String> sources)
      throws ConfigException {
    try {
      values.put(k, k.parse(text));
    } catch (IllegalArgumentException bad) {
      String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
      throw new ConfigException(
          "node config: "
              + k.key()
              + " from "
              + where
              + " "
              + bad.getMessage()
              + ", got '"
              + shown
              + "'");
    }
    sources.put(k, where);
  }

  private static ConfigKey known(String name, String where) throws ConfigException {
    ConfigKey k = ConfigKey.byKey(name);
    if (k != null) {
      return k;
    }
    ConfigKey close = ConfigKey.closest(name);
    String shown = name.length() > 80 ? name.substring(0, 80) + "..." : name;
    throw new ConfigException(
        "node config: unknown key '"
            + shown
            + "' "
            + where
            + (close != null
                ? " (did you mean " + close.key() + "?)"
                : " (prosima node example-config lists every key)"));
  }
}
