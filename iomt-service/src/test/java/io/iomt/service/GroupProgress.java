package io.iomt.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.ConsumerGroupState;
import org.apache.kafka.common.TopicPartition;

/**
 * Samples the committed offsets of consumer groups from the outside (an {@link Admin} client, as an
 * operator's tooling would) and answers when each partition's commit moved after an instant: how
 * long a rebalance or a failover held a partition's progress. Samples are taken by {@link
 * #sample()} from one thread (the caller's sampler); the queries may run on another thread, all
 * methods are synchronized. Close it to close the admin client.
 */
final class GroupProgress implements AutoCloseable {

  /** One partition of one group: what a stage commits. */
  record GroupPartition(String group, int partition) {
    @Override
    public String toString() {
      return group.substring(group.lastIndexOf('-') + 1) + "-" + partition;
    }
  }

  private record Sample(long nanos, Map<GroupPartition, Long> committed) {}

  private final Admin admin;
  private final List<String> groups;
  private final List<Sample> samples = new ArrayList<>();

  GroupProgress(String bootstrapServers, List<String> groups) {
    this.admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers));
    this.groups = List.copyOf(groups);
  }

  /** Reads every group's committed offsets now and keeps them with the time they were read. */
  void sample() {
    Map<GroupPartition, Long> committed = new HashMap<>();
    for (String group : groups) {
      for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committedOffsets(group).entrySet()) {
        if (e.getValue() != null) {
          committed.put(new GroupPartition(group, e.getKey().partition()), e.getValue().offset());
        }
      }
    }
    long now = System.nanoTime();
    synchronized (this) {
      samples.add(new Sample(now, committed));
    }
  }

  /** The partitions each member holds, by the member's {@code group.instance.id}. */
  Map<String, Set<GroupPartition>> assignments() {
    Map<String, Set<GroupPartition>> out = new HashMap<>();
    for (String group : groups) {
      ConsumerGroupDescription d =
          await(admin.describeConsumerGroups(List.of(group)).all()).get(group);
      for (MemberDescription m : d.members()) {
        String member = m.groupInstanceId().orElse(m.consumerId());
        Set<GroupPartition> held = out.computeIfAbsent(member, k -> new java.util.HashSet<>());
        m.assignment()
            .topicPartitions()
            .forEach(tp -> held.add(new GroupPartition(group, tp.partition())));
      }
    }
    return out;
  }

  /**
   * How many members each group has once it is balanced: the group is {@code Stable} and every
   * member holds a partition; -1 for a group still rebalancing (members listed during a rebalance
   * hold nothing yet).
   */
  Map<String, Integer> balancedMembers() {
    Map<String, Integer> out = new HashMap<>();
    Map<String, ConsumerGroupDescription> d = await(admin.describeConsumerGroups(groups).all());
    for (String group : groups) {
      ConsumerGroupDescription g = d.get(group);
      boolean balanced =
          g.state() == ConsumerGroupState.STABLE
              && g.members().stream().noneMatch(m -> m.assignment().topicPartitions().isEmpty());
      out.put(group, balanced ? g.members().size() : -1);
    }
    return out;
  }

  /**
   * For each partition, how long after {@code sinceNanos} its commit first moved past where it was
   * then; empty for a partition whose commit has not moved (yet).
   */
  synchronized Map<GroupPartition, Optional<Duration>> resumedAfter(
      long sinceNanos, Set<GroupPartition> partitions) {
    return resumedAfter(sinceNanos, sinceNanos, partitions);
  }

  /**
   * {@link #resumedAfter(long, Set)} against the commits read last at or before {@code
   * baselineNanos}: for a replica killed at {@code sinceNanos}, a baseline read after it died holds
   * every commit it made, so only its successors' commits count as progress.
   */
  synchronized Map<GroupPartition, Optional<Duration>> resumedAfter(
      long sinceNanos, long baselineNanos, Set<GroupPartition> partitions) {
    Map<GroupPartition, Long> before = null;
    for (Sample s : samples) {
      if (s.nanos() <= baselineNanos) {
        before = s.committed();
      }
    }
    Map<GroupPartition, Optional<Duration>> out = new HashMap<>();
    for (GroupPartition p : partitions) {
      long from = before == null ? -1 : before.getOrDefault(p, -1L);
      Optional<Duration> resumed = Optional.empty();
      for (Sample s : samples) {
        if (s.nanos() > baselineNanos && s.committed().getOrDefault(p, -1L) > from) {
          resumed = Optional.of(Duration.ofNanos(s.nanos() - sinceNanos));
          break;
        }
      }
      out.put(p, resumed);
    }
    return out;
  }

  /**
   * The longest any of {@code partitions} went without its commit moving, between two instants,
   * while the stream flowed: the usual gap between a stage's commits (its flush age, a poll).
   */
  synchronized Duration longestGap(long fromNanos, long toNanos, Set<GroupPartition> partitions) {
    long longest = 0;
    for (GroupPartition p : partitions) {
      long lastMove = fromNanos;
      long last = -1;
      for (Sample s : samples) {
        if (s.nanos() < fromNanos || s.nanos() > toNanos) {
          continue;
        }
        long c = s.committed().getOrDefault(p, -1L);
        if (last >= 0 && c > last) {
          longest = Math.max(longest, s.nanos() - lastMove);
          lastMove = s.nanos();
        }
        last = c;
      }
    }
    return Duration.ofNanos(longest);
  }

  /** Every partition of the groups that has a commit. */
  synchronized Set<GroupPartition> partitions() {
    Set<GroupPartition> all = new java.util.HashSet<>();
    samples.forEach(s -> all.addAll(s.committed().keySet()));
    return all;
  }

  private Map<TopicPartition, OffsetAndMetadata> committedOffsets(String group) {
    return await(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
  }

  private static <T> T await(org.apache.kafka.common.KafkaFuture<T> f) {
    try {
      return f.get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the broker did not answer: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    admin.close();
  }
}
