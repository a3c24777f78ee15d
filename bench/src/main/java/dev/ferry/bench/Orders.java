package dev.ferry.bench;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Random;

import org.bson.Document;
import org.bson.types.Decimal128;
import org.bson.types.ObjectId;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOneModel;
import com.mongodb.client.model.Updates;

/**
 * Order documents of a realistic shape, about 500 bytes of BSON each: an ObjectId, a nested customer with an
 * address, dates, Decimal128 amounts, an array of line items, tags. Document {@code n} is the same in every run.
 */
final class Orders {

    private static final String[] STATUSES = {"new", "paid", "packed", "shipped", "delivered", "returned"};
    private static final String[] CITIES = {"Lisbon", "Porto", "Berlin", "Hamburg", "Lyon", "Turin", "Gdansk"};
    private static final String[] PRODUCTS = {"kettle", "teapot", "mug", "grinder", "scale", "filter", "beans"};
    private static final long EPOCH_2025 = 1_735_689_600_000L;
    private static final int LOAD_BATCH = 1_000;

    private Orders() {
    }

    static Document order(long n) {
        Random random = new Random(n * 31 + 7);
        long created = EPOCH_2025 + random.nextInt(300 * 24 * 3600) * 1000L;
        List<Document> items = new ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        for (int i = 0, count = 1 + random.nextInt(3); i < count; i++) {
            BigDecimal price = BigDecimal.valueOf(100 + random.nextInt(9_900), 2);
            int quantity = 1 + random.nextInt(4);
            total = total.add(price.multiply(BigDecimal.valueOf(quantity)));
            String product = PRODUCTS[random.nextInt(PRODUCTS.length)];
            items.add(new Document("sku", product.toUpperCase() + "-" + (1000 + random.nextInt(9000)))
                .append("name", product).append("quantity", quantity).append("price", new Decimal128(price)));
        }
        return new Document("_id", new ObjectId((int) (created / 1000), (int) (n & 0xffffff)))
            .append("orderNo", 10_000_000L + n)
            .append("customer", new Document("id", new ObjectId(1_700_000_000 + random.nextInt(100_000), 42))
                .append("name", "Customer " + random.nextInt(100_000))
                .append("email", "customer" + random.nextInt(100_000) + "@example.com")
                .append("address", new Document("street", random.nextInt(200) + " Harbour Road")
                    .append("city", CITIES[random.nextInt(CITIES.length)])
                    .append("zip", String.format("%05d", random.nextInt(100_000)))
                    .append("country", "PT")))
            .append("status", STATUSES[random.nextInt(STATUSES.length)])
            .append("createdAt", new Date(created))
            .append("updatedAt", new Date(created + random.nextInt(86_400_000)))
            .append("items", items)
            .append("total", new Decimal128(total))
            .append("currency", "EUR")
            .append("tags", List.of("web", random.nextBoolean() ? "gift" : "standard"))
            .append("priority", random.nextDouble() < 0.1)
            .append("weightKg", Math.round(random.nextDouble() * 10_000) / 1000.0);
    }

    /** Inserts orders {@code from} to {@code to} (exclusive) in batches. */
    static void load(MongoCollection<Document> collection, long from, long to) {
        List<Document> batch = new ArrayList<>(LOAD_BATCH);
        for (long n = from; n < to; n++) {
            batch.add(order(n));
            if (batch.size() == LOAD_BATCH) {
                collection.insertMany(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            collection.insertMany(batch);
        }
    }

    /**
     * Changes existing orders {@code from} to {@code to} (exclusive) as an application does, one update each (their
     * status and update time), sent in bulk writes of a batch.
     */
    static void touch(MongoCollection<Document> collection, long from, long to) {
        List<UpdateOneModel<Document>> batch = new ArrayList<>(LOAD_BATCH);
        for (long n = from; n < to; n++) {
            batch.add(new UpdateOneModel<>(Filters.eq("_id", order(n).getObjectId("_id")),
                Updates.combine(Updates.set("status", STATUSES[(int) (n % STATUSES.length)]),
                    Updates.set("updatedAt", new Date()))));
            if (batch.size() == LOAD_BATCH || n == to - 1) {
                collection.bulkWrite(batch);
                batch.clear();
            }
        }
    }
}
