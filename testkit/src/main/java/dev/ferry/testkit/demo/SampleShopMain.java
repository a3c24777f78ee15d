package dev.ferry.testkit.demo;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.bson.Document;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;

/**
 * {@code bin/ferry sample-shop --uri URI [--orders N] [--writes-per-second N]}: fills {@code shop.orders} and
 * {@code shop.customers} with sample documents, prints {@code seeded}, then keeps inserting, updating and deleting
 * orders a few times a second until stopped, so that a pipe has changes to replicate. On a sharded cluster (a
 * router) the orders are sharded on a hashed {@code _id} first, so that they spread over the shards, and the
 * customers stay unsharded on the database's primary shard.
 */
@Command(name = "ferry sample-shop", mixinStandardHelpOptions = true,
    description = "Fills shop.orders and shop.customers, then keeps writing orders until stopped.")
public final class SampleShopMain implements Callable<Integer> {

    private static final List<String> ITEMS = List.of("pen", "notebook", "lamp", "chair", "mug", "backpack");
    private static final List<String> STATUSES = List.of("new", "paid", "shipped", "delivered");

    @Option(names = "--uri", required = true, paramLabel = "URI", description = "The MongoDB to fill.")
    String uri;

    @Option(names = "--orders", paramLabel = "N", description = "Orders to seed (default ${DEFAULT-VALUE}).")
    int orders = 5_000;

    @Option(names = "--writes-per-second", paramLabel = "N", description = "Inserts, updates and deletes of orders "
        + "a second after seeding (default ${DEFAULT-VALUE}).")
    int perSecond = 5;

    public static void main(String[] args) {
        System.exit(new CommandLine(new SampleShopMain()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        Random random = new Random(1);
        try (MongoClient client = MongoClients.create(uri)) {
            MongoCollection<Document> orderCollection = client.getDatabase("shop").getCollection("orders");
            MongoCollection<Document> customers = client.getDatabase("shop").getCollection("customers");
            Document admin = new Document("hello", 1);
            if ("isdbgrid".equals(client.getDatabase("admin").runCommand(admin).getString("msg"))) {
                client.getDatabase("admin").runCommand(new Document("enableSharding", "shop"));
                client.getDatabase("admin").runCommand(new Document("shardCollection", "shop.orders")
                    .append("key", new Document("_id", "hashed")));
            }
            seed(orderCollection, customers, orders, random);
            System.out.println("seeded " + orders + " orders and 100 customers in database shop");
            System.out.flush();
            int next = orders;
            while (!Thread.currentThread().isInterrupted()) {
                switch (random.nextInt(4)) {
                    case 0, 1 -> orderCollection.insertOne(order(next++, random));
                    case 2 -> orderCollection.updateOne(Filters.eq("_id", random.nextInt(next)),
                        Updates.set("status", STATUSES.get(random.nextInt(STATUSES.size()))));
                    default -> orderCollection.deleteOne(Filters.eq("_id", random.nextInt(next)));
                }
                Thread.sleep(1000L / Math.max(1, perSecond));
            }
        }
        return 0;
    }

    private static void seed(MongoCollection<Document> orders, MongoCollection<Document> customers, int count,
                             Random random) {
        List<Document> customerDocs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            customerDocs.add(new Document("_id", "customer-" + i).append("name", "Customer " + i)
                .append("address", new Document("city", "City " + (i % 7)).append("zip", String.format("%05d", i))));
        }
        customers.insertMany(customerDocs);
        List<Document> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batch.add(order(i, random));
            if (batch.size() == 1000) {
                orders.insertMany(batch);
                batch = new ArrayList<>();
            }
        }
        if (!batch.isEmpty()) {
            orders.insertMany(batch);
        }
    }

    private static Document order(int id, Random random) {
        return new Document("_id", id)
            .append("customer", "customer-" + random.nextInt(100))
            .append("item", ITEMS.get(random.nextInt(ITEMS.size())))
            .append("quantity", 1 + random.nextInt(5))
            .append("price", Math.round(random.nextDouble() * 10_000) / 100.0)
            .append("status", STATUSES.get(0))
            .append("createdAt", new java.util.Date());
    }
}
