import amqp from 'amqplib';

/**
 * Fills one vhost of a private RabbitMQ node: `queues` durable classic queues (`bench-q<i>`, plain
 * AMQP queues of no framework) with `messages` messages spread evenly, published in batches that
 * respect the channel's back-pressure. Bodies are minimal (one byte).
 */
export async function fillRabbit(url: string, queues: number, messages: number): Promise<void> {
  const connection = await amqp.connect(url);
  try {
    const channel = await connection.createChannel();
    const perQueue = Math.floor(messages / queues);
    const body = Buffer.from('x');
    for (let q = 0; q < queues; q++) {
      const name = `bench-q${q}`;
      await channel.assertQueue(name, { durable: true });
      for (let m = 0; m < perQueue; m++) {
        if (!channel.sendToQueue(name, body)) await new Promise((resolve) => channel.once('drain', resolve));
      }
    }
    await channel.close();
  } finally {
    await connection.close();
  }
}
