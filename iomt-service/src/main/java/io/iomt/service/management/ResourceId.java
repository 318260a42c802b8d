package io.iomt.service.management;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The ARM id of a resource: {@code /subscriptions/{sub}/resourceGroups/{rg}/providers/
 * Microsoft.HealthcareApis/workspaces/{ws}[/iotconnectors/{c}[/fhirdestinations/{d}] |
 * /fhirservices/{f}]}. ARM compares ids case-insensitively: {@link #key()} is the lower-cased id,
 * while {@link #toString()} keeps the spelling of the request that created the resource.
 *
 * @param names the names from the workspace down: one for a workspace, two for an iotconnector or a
 *     fhirservice, three for a fhirdestination
 */
public record ResourceId(
    String subscription, String resourceGroup, ResourceType type, List<String> names) {
  public static final String PROVIDER = "Microsoft.HealthcareApis";

  public ResourceId {
    names = List.copyOf(names);
    int depth = 0;
    for (ResourceType t = type; t != null; t = t.parent()) {
      depth++;
    }
    if (names.size() != depth) {
      throw new IllegalArgumentException(type + " needs " + depth + " names, got " + names);
    }
  }

  public static ResourceId workspace(String subscription, String resourceGroup, String ws) {
    return new ResourceId(subscription, resourceGroup, ResourceType.WORKSPACE, List.of(ws));
  }

  /** A child of this resource. */
  public ResourceId child(ResourceType childType, String name) {
    if (childType.parent() != type) {
      throw new IllegalArgumentException(childType + " is not a child of " + type);
    }
    List<String> n = new ArrayList<>(names);
    n.add(name);
    return new ResourceId(subscription, resourceGroup, childType, n);
  }

  /** The resource's own name (the last segment). */
  public String name() {
    return names.get(names.size() - 1);
  }

  /** The workspace's name. */
  public String workspace() {
    return names.get(0);
  }

  /** The parent resource; empty for a workspace. */
  public Optional<ResourceId> parent() {
    if (type.parent() == null) {
      return Optional.empty();
    }
    return Optional.of(
        new ResourceId(
            subscription, resourceGroup, type.parent(), names.subList(0, names.size() - 1)));
  }

  /** Whether {@code other} lies under this resource (a child, grandchild, ...), or is it. */
  public boolean contains(ResourceId other) {
    return other.key().equals(key()) || other.key().startsWith(key() + "/");
  }

  /** Whether both ids name the same resource (ARM compares ids case-insensitively). */
  public boolean equalsKey(ResourceId other) {
    return other != null && key().equals(other.key());
  }

  /** The id lower-cased: equal for ids ARM considers the same resource. */
  public String key() {
    return toString().toLowerCase(Locale.ROOT);
  }

  /**
   * The path of the resource group's provider, {@code /subscriptions/../providers/Microsoft...}.
   */
  public String providerPath() {
    return "/subscriptions/"
        + subscription
        + "/resourceGroups/"
        + resourceGroup
        + "/providers/"
        + PROVIDER;
  }

  /**
   * Parses an ARM id, with or without its leading slash (the contract's own fhirdestination example
   * omits it); empty when it is not an id of this provider's resources.
   */
  public static Optional<ResourceId> parse(String id) {
    if (id == null) {
      return Optional.empty();
    }
    String[] s = id.trim().replaceAll("^/+", "").replaceAll("/+$", "").split("/");
    if (s.length < 8
        || s.length % 2 != 0
        || !s[0].equalsIgnoreCase("subscriptions")
        || !s[2].equalsIgnoreCase("resourceGroups")
        || !s[4].equalsIgnoreCase("providers")
        || !s[5].equalsIgnoreCase(PROVIDER)
        || !s[6].equalsIgnoreCase("workspaces")) {
      return Optional.empty();
    }
    ResourceId r = workspace(s[1], s[3], s[7]);
    for (int i = 8; i < s.length; i += 2) {
      Optional<ResourceType> t = ResourceType.bySegment(s[i]);
      if (t.isEmpty() || t.get().parent() != r.type()) {
        return Optional.empty();
      }
      r = r.child(t.get(), s[i + 1]);
    }
    return Optional.of(r);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(providerPath());
    ResourceType[] chain = new ResourceType[names.size()];
    ResourceType t = type;
    for (int i = names.size() - 1; i >= 0; i--) {
      chain[i] = t;
      t = t.parent();
    }
    for (int i = 0; i < names.size(); i++) {
      b.append('/').append(chain[i].segment()).append('/').append(names.get(i));
    }
    return b.toString();
  }
}
